"""The application factory."""
import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import import_string

from bibnet import access, config, gates, jobs, loading, notifications, retention
from bibnet.audit import recorder
from bibnet.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
from bibnet.tenancy import guard, projects, resolve
from bibnet.web import errors, i18n, input_checks, panels, security, urls

MIGRATIONS_DIRECTORY = str(Path(import_string("bibnet.migrations").__file__).parent)


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app from the environment (see `bibnet.config`); `overrides` wins, for tests."""
    instance_path = os.environ.get("BIBNET_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        template_folder="web/templates",
        static_folder="web/static",
    )
    app.config.update(config.load(instance_path))
    app.config.update(overrides or {})
    logging.basicConfig(level=logging.INFO)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    urls.init_app(app)
    db.init_app(app)
    guard.install(db.session.session_factory.class_)
    recorder.install(db.session.session_factory.class_)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, compare_type=True, render_as_batch=True)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)

    from bibnet.accounts import api as accounts_api
    from bibnet.accounts import (
        loaders,  # noqa: F401  (registers the Flask-Login loaders)
        tenant_users,
    )
    from bibnet.accounts import views as account_views
    from bibnet.admin import views as admin_views
    from bibnet.api import api
    from bibnet.api import init_app as init_api
    from bibnet.audit import views as audit_views
    from bibnet.storage import views as storage_views
    from bibnet.tenancy import views as tenancy_views
    from bibnet.web import help
    from bibnet.web import views as web_views

    # What the URL names, in this order: the tenant, the project, the objects; then the permission check.
    resolve.init_app(app)
    projects.init_app(app)
    loading.init_app(app)
    app.before_request(access.enforce)
    for blueprint in (web_views.bp, account_views.bp, tenancy_views.bp, tenant_users.bp, storage_views.bp, admin_views.bp,
                      audit_views.tenant_bp, audit_views.project_bp, audit_views.admin_bp, help.bp):
        app.register_blueprint(blueprint)
    init_api(app)
    api.register_blueprint(accounts_api.blp)
    jobs.init_app(app)
    retention.init_app(app)
    notifications.init_app(app)
    gates.init_app(app)

    for feature in app.config["FEATURES"]:
        import_string(feature).init_app(app)

    _make_public(app, "api-docs.openapi_json")
    errors.init_app(app)  # after flask-smorest, whose own HTTP error handler this replaces
    i18n.init_app(app)
    security.init_app(app)
    input_checks.init_app(app)  # runs first of all the request's checks, whenever it is registered
    app.jinja_env.globals.update(allowed=access.allowed, page_sections=panels.page_sections)
    return app


def load_for_workers(app: Flask) -> None:
    """Load now what requests would load one by one: the mappers configured, every page template compiled, each
    language's catalog and Babel's data, and the password check's decoy hash (no log-in then pays for making it).
    A server that forks its workers from a process that ran this (gunicorn's `preload_app`, see
    `bibnet.gunicorn_config`) has them share it, instead of each worker loading its own."""
    from babel.dates import format_date
    from flask_babel import force_locale, get_translations
    from sqlalchemy.orm import configure_mappers

    from bibnet.accounts import passwords

    configure_mappers()
    passwords.decoy_hash()
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for locale in app.config["LOCALES"]:
            with force_locale(locale):
                get_translations()
                format_date(None, "full", locale=i18n.formatting_locale())


def _make_public(app: Flask, endpoint: str) -> None:
    """Declare a view of an extension public (it is a bound method, which takes no attributes)."""
    view = app.view_functions[endpoint]
    app.view_functions[endpoint] = access.public(lambda **kwargs: view(**kwargs))
