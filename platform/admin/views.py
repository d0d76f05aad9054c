"""The platform admin's pages: tenants, users, and projects with their partners and leads. Only admins reach them (permission `admin`)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
from wtforms.fields.choices import SelectChoice

from bibnet.access import require
from bibnet.accounts import services as account_services
from bibnet.accounts.models import User
from bibnet.admin.forms import LeadForm, PartnerForm, ProjectForm, TenantEditForm, TenantForm, UserForm
from bibnet.extensions import db
from bibnet.loading import register_loader
from bibnet.tenancy import services as tenancy_services
from bibnet.tenancy.models import Project, ProjectLead, Tenant
from bibnet.web.forms import Outcome, saving
from bibnet.web.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACTIVE_ACTIONS = {"deactivate": False, "reactivate": True}


def _action(allowed_actions: set[str]) -> str:
    action = request.form.get("action", "save")
    if action not in allowed_actions:
        abort(400)
    return action


@bp.route("/")
@require("admin")
def index():
    return render_template("admin/index.html")


@bp.route("/tenants/")
@require("admin")
def tenants():
    page = paginate(sa.select(Tenant).order_by(Tenant.active.desc(), Tenant.name, Tenant.id))
    return render_template("admin/tenants.html", page=page)


@bp.route("/tenants/new", methods=["GET", "POST"])
@require("admin")
def create_tenant():
    form = TenantForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            tenant = tenancy_services.create_tenant(form.slug.data, form.name.data, form.country.data, form.default_locale.data, form.timezone.data)
        if outcome.saved:
            flash(_("The tenant %(name)s is created.", name=tenant.name), "success")
            return redirect(url_for("admin.tenants"))
    status = 422 if form.errors or outcome.error else 200
    return render_template("admin/tenant_form.html", form=form, tenant=None, error=outcome.error), status


@bp.route("/tenants/<int:tenant_id>", methods=["GET", "POST"])  # loaded below
@require("admin")
def edit_tenant(managed_tenant):
    tenant = managed_tenant
    if request.method == "GET":
        form = TenantEditForm(name=tenant.name, country=tenant.country.value, default_locale=tenant.default_locale, timezone=tenant.stored_timezone)
    else:
        form = TenantEditForm()
    outcome = Outcome()
    if form.validate_on_submit():
        action = _action({"save", *ACTIVE_ACTIONS})
        with saving(form) as outcome:
            if action == "save":
                tenancy_services.change_tenant(tenant, form.name.data, form.country.data, form.default_locale.data, form.timezone.data)
            else:
                tenancy_services.set_tenant_active(tenant, ACTIVE_ACTIONS[action])
        if outcome.saved:
            flash(_("The changes to %(name)s are saved.", name=tenant.name), "success")
            return redirect(url_for("admin.tenants"))
    status = 422 if form.errors or outcome.error else 200
    return render_template("admin/tenant_form.html", form=form, tenant=tenant, error=outcome.error), status


@bp.route("/users/")
@require("admin")
def users():
    search = request.args.get("q", "").strip()
    statement = sa.select(User).order_by(User.active.desc(), User.name, User.id)
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(sa.func.lower(User.name).like(pattern, escape="\\"), User.email.like(pattern, escape="\\")))
    return render_template("admin/users.html", page=paginate(statement), search=search)


@bp.route("/users/new", methods=["GET", "POST"])
@require("admin")
def create_user():
    form = UserForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            user = account_services.create_user(form.email.data or "", form.name.data or "", is_admin=form.is_admin.data, locale=form.locale.data)
            account_services.send_password_reset(user)
        if outcome.saved:
            flash(_("%(email)s is created. We sent them an e-mail with a link to choose a password.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors or outcome.error else 200
    return render_template("admin/user_form.html", form=form, error=outcome.error), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])  # loaded below
@require("admin")
def edit_user(managed_user):
    user = managed_user
    outcome = Outcome()
    if request.method == "POST":
        action = _action({"reset_password", *ACTIVE_ACTIONS})
        with saving() as outcome:
            if action == "reset_password":
                account_services.send_password_reset(user)
            else:
                account_services.set_user_active(user, ACTIVE_ACTIONS[action], current_user)
        if outcome.saved:
            if action == "reset_password":
                flash(_("We sent %(email)s an e-mail with a link to choose a new password.", email=user.email), "success")
            else:
                flash(_("The changes to %(name)s are saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user.html", user=user, error=outcome.error), 422 if outcome.error else 200


register_loader("tenant_id", "managed_tenant", lambda tenant_id: db.session.get(Tenant, tenant_id))
register_loader("user_id", "managed_user", lambda user_id: db.session.get(User, user_id))


@bp.route("/projects/")
@require("admin")
def projects():
    return render_template("admin/projects.html", page=paginate(sa.select(Project).order_by(Project.acronym, Project.id)))


def _project_input(form: ProjectForm) -> tuple:
    return form.programme.data or "", form.acronym.data or "", form.title.data or "", form.starts_on.data, form.ends_on.data


def _durability_input(form: ProjectForm) -> dict:
    return {"final_payment_on": form.final_payment_on.data, "durability_years": form.durability_years.data}


@bp.route("/projects/new", methods=["GET", "POST"])
@require("admin")
def create_project():
    form = ProjectForm()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            project = tenancy_services.create_project(*_project_input(form), **_durability_input(form))
        if outcome.saved:
            flash(_("The project %(acronym)s is created. Add its partners and leads.", acronym=project.acronym), "success")
            return redirect(url_for("admin.edit_project", project_id=project.id))
    status = 422 if form.errors or outcome.error else 200
    return render_template("admin/project_form.html", form=form, error=outcome.error), status


def _partner_form() -> PartnerForm:
    form = PartnerForm(prefix="partner")
    form.tenant.choices = [SelectChoice(0, _("Choose a tenant"))] + [
        SelectChoice(tenant.id, tenant.name) for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.active).order_by(Tenant.name))
    ]
    return form


def _project_page(project, project_form=None, partner_form=None, lead_form=None, error=None):
    leads = db.session.scalars(
        sa.select(User).join(ProjectLead, ProjectLead.user_id == User.id).where(ProjectLead.project_id == project.id).order_by(User.name)
    ).all()
    forms = (project_form, partner_form, lead_form)
    status = 422 if error or any(form is not None and form.errors for form in forms) else 200
    if project_form is None:
        project_form = ProjectForm(
            prefix="project", programme=project.programme, acronym=project.acronym, title=project.title, starts_on=project.starts_on, ends_on=project.ends_on,
            final_payment_on=project.final_payment_on, durability_years=project.durability_years,
        )
    return render_template(
        "admin/project.html",
        project=project,
        leads=leads,
        project_form=project_form,
        partner_form=partner_form or _partner_form(),
        lead_form=lead_form or LeadForm(prefix="lead"),
        error=error,
    ), status


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])  # loaded by the core (bibnet.tenancy.projects)
@require("admin")
def edit_project(project):
    if request.method == "GET":
        return _project_page(project)
    form = ProjectForm(prefix="project")
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            tenancy_services.change_project(project, *_project_input(form), **_durability_input(form))
        if outcome.saved:
            flash(_("The changes to %(name)s are saved.", name=project.acronym), "success")
            return redirect(url_for("admin.edit_project", project_id=project.id))
    return _project_page(project, project_form=form, error=outcome.error)


@bp.route("/projects/<int:project_id>/partners", methods=["POST"])
@require("admin")
def add_partner(project):
    form = _partner_form()
    outcome = Outcome()
    if form.validate_on_submit():
        with saving(form) as outcome:
            tenant = db.session.get(Tenant, form.tenant.data) if form.tenant.data else None
            partner = tenancy_services.add_partner(project, tenant, form.number.data, form.lead.data)
        if outcome.saved:
            flash(_("%(tenant)s is partner %(code)s of %(project)s.", tenant=tenant.name, code=partner.code, project=project.acronym), "success")
            return redirect(url_for("admin.edit_project", project_id=project.id))
    return _project_page(project, partner_form=form, error=outcome.error)


@bp.route("/projects/<int:project_id>/leads", methods=["POST"])
@require("admin")
def appoint_lead(project):
    form = LeadForm(prefix="lead")
    outcome = Outcome()
    if form.validate_on_submit():
        user = account_services.find_user_by_email(form.email.data or "")
        with saving(form) as outcome:
            tenancy_services.appoint_lead(project, user)
        if outcome.saved:
            flash(_("%(name)s leads %(project)s now.", name=user.name, project=project.acronym), "success")
            return redirect(url_for("admin.edit_project", project_id=project.id))
    return _project_page(project, lead_form=form, error=outcome.error)


@bp.route("/projects/<int:project_id>/leads/<int:user_id>/remove", methods=["POST"])
@require("admin")
def remove_lead(project, managed_user):
    with saving() as outcome:
        tenancy_services.remove_lead(project, managed_user)
    if outcome.refused:
        return _project_page(project, error=outcome.error)
    flash(_("%(name)s no longer leads %(project)s.", name=managed_user.name, project=project.acronym), "success")
    return redirect(url_for("admin.edit_project", project_id=project.id))
