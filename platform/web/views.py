"""Pages of the shell: dashboard (each role's home: tasks first), a project's page for its lead, health check, language switch, accessibility statement and privacy notice."""
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet import retention, tasks
from bibnet.access import public, require
from bibnet.accounts import services
from bibnet.extensions import db
from bibnet.tenancy.models import Partner, Project, Tenant
from bibnet.web import panels

bp = Blueprint("web", __name__)


@bp.route("/healthz")
@public
def healthz():
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


@bp.route("/")
@require("authenticated")
def dashboard():
    memberships = services.memberships_of(current_user)
    led_projects = services.projects_led_by(current_user)
    all_tenants_list = all_projects = []
    if current_user.is_admin:
        all_tenants_list = db.session.scalars(sa.select(Tenant).order_by(Tenant.name)).all()
        all_projects = db.session.scalars(
            sa.select(Project).options(selectinload(Project.partners).joinedload(Partner.tenant)).order_by(Project.acronym)
        ).all()
    return render_template(
        "web/dashboard.html",
        tasks=tasks.tasks_of(current_user),
        memberships=memberships,
        led_projects=led_projects,
        all_tenants=all_tenants_list,
        all_projects=all_projects,
        project_links=panels.project_links(),
    )


@bp.route("/projects/<int:project_id>/")
@require("project.lead")
def project(project):
    """The project's page for its lead (linked from the header) or an admin: partners and the features' pages."""
    return render_template("web/project.html", project=project, project_links=panels.project_links())


@bp.route("/language", methods=["POST"])
@public
def switch_language():
    """The language switcher: remembered in the profile when logged in, in the session otherwise. A page whose
    address names its language (`?lang=lv`: a survey a visitor answers) comes back in the language chosen."""
    locale = request.form.get("locale", "")
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("web.dashboard")
    if locale in current_app.config["LOCALES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
        refresh()
        target = _with_language(target, locale)
    return redirect(target)


def _with_language(address: str, locale: str) -> str:
    parts = urlsplit(address)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name == "lang" for name, _value in query):
        return address
    return urlunsplit(parts._replace(query=urlencode([(name, locale if name == "lang" else value) for name, value in query])))


ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 22)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 11, 22)
# The national monitoring bodies the statement must link to (Directive (EU) 2016/2102, Art. 7).
ENFORCEMENT_BODIES = [
    {"name": "Valsts reģionālās attīstības aģentūra (Latvija)", "url": "https://www.vraa.gov.lv/"},
    {"name": "Informacinės visuomenės plėtros komitetas (Lietuva)", "url": "https://ivpk.lrv.lt/"},
]


@bp.route("/accessibility")
@public
def accessibility_statement():
    return render_template(
        "web/accessibility.html",
        prepared_on=ACCESSIBILITY_STATEMENT_PREPARED,
        reviewed_on=ACCESSIBILITY_STATEMENT_REVIEWED,
        enforcement_bodies=ENFORCEMENT_BODIES,
    )


@bp.route("/privacy")
@public
def privacy_notice():
    return render_template("web/privacy.html", retention_entries=retention.entries())
