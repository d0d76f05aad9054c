"""Impact surveys: a shared item bank per outcome area in plain, easy-read and large-print forms, templates,
runs about a programme, a room or a course, anonymous responses online, on paper or assisted, and results
with small numbers suppressed.
"""
import os

from bibnet.access import TenantRole, register_permission, roles

# Running surveys and typing in paper forms: the library's own people. The project lead sees runs and results.
register_permission("surveys.manage", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("surveys.view", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.LEAD, TenantRole.ADMIN))
# Results: the library's own staff see its suppressed results; only its coordinator downloads the anonymous answers.
register_permission("surveys.results.view", roles(TenantRole.COORDINATOR, TenantRole.STAFF, TenantRole.ADMIN))
register_permission("surveys.results.answers", roles(TenantRole.COORDINATOR))


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l
    from flask_babel import ngettext

    from bibnet import figures, retention
    from bibnet.api import api
    from bibnet.audit.labels import register_object_type
    from bibnet.tenants.surveys import api as surveys_api
    from bibnet.tenants.surveys import (
        cli,
        lookups,  # noqa: F401  (the URL's template and run)
        models,  # noqa: F401  (the tables, for the migrations)
        privacy,
        public,
        results_api,
        results_figures,
        results_views,
        views,
    )
    from bibnet.web import menu

    app.config.setdefault("SURVEY_RESPONSE_RETENTION_DAYS", int(os.environ.get("SURVEY_RESPONSE_RETENTION_DAYS", str(5 * 365))))
    app.register_blueprint(views.bp)
    app.register_blueprint(views.assets)
    app.register_blueprint(public.bp)
    api.register_blueprint(surveys_api.blp)
    app.register_blueprint(results_views.bp)
    app.register_blueprint(results_views.project_bp)
    api.register_blueprint(results_api.blp)
    figures.register(results_figures.SOURCE)
    app.cli.add_command(cli.surveys)
    menu.register(_l("Surveys"), "surveys.index", "surveys.view", group=menu.OUTREACH)
    register_object_type("SurveyItem", _l("Survey statement"))
    register_object_type("SurveyTemplate", _l("Survey"))
    register_object_type("SurveyRun", _l("Survey run"))
    retention.register(app, retention.Retention(
        name="surveys.responses",
        data=_l("Anonymous survey answers: the ratings, how they came in (online, paper, assisted), the day, and a keyed hash of the participant's own code"),
        purpose=_l("Measuring the outcomes of the library's programmes, rooms and courses"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e)); the answers name nobody"),
        period=lambda days: ngettext("Deleted %(num)d day after the run closes", "Deleted %(num)d days after the run closes", days),
        days_setting="SURVEY_RESPONSE_RETENTION_DAYS",
        erase=privacy.erase_responses,
    ))


def load_demo() -> None:
    from bibnet.tenants.surveys.demo import load_demo as load

    load()
