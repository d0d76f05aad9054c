"""The platform admin's pages: tenants and users. Only admins reach them (permission `admin`)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from bibnet.access import require
from bibnet.accounts import services as account_services
from bibnet.accounts.models import User
from bibnet.admin.forms import TenantEditForm, TenantForm, UserForm
from bibnet.extensions import db
from bibnet.loading import register_loader
from bibnet.refusals import Refused
from bibnet.tenancy import services as tenancy_services
from bibnet.tenancy.models import Tenant
from bibnet.web.forms import show_refusal
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
    error = None
    if form.validate_on_submit():
        try:
            tenant = tenancy_services.create_tenant(form.slug.data, form.name.data, form.country.data, form.default_locale.data, form.timezone.data)
        except Refused as refusal:
            error = show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("The tenant %(name)s is created.", name=tenant.name), "success")
            return redirect(url_for("admin.tenants"))
    status = 422 if form.errors or error else 200
    return render_template("admin/tenant_form.html", form=form, tenant=None, error=error), status


@bp.route("/tenants/<int:tenant_id>", methods=["GET", "POST"])  # loaded below
@require("admin")
def edit_tenant(managed_tenant):
    tenant = managed_tenant
    if request.method == "GET":
        form = TenantEditForm(name=tenant.name, country=tenant.country.value, default_locale=tenant.default_locale, timezone=tenant.stored_timezone)
    else:
        form = TenantEditForm()
    error = None
    if form.validate_on_submit():
        action = _action({"save", *ACTIVE_ACTIONS})
        try:
            if action == "save":
                tenancy_services.change_tenant(tenant, form.name.data, form.country.data, form.default_locale.data, form.timezone.data)
            else:
                tenancy_services.set_tenant_active(tenant, ACTIVE_ACTIONS[action])
        except Refused as refusal:
            error = show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("The changes to %(name)s are saved.", name=tenant.name), "success")
            return redirect(url_for("admin.tenants"))
    status = 422 if form.errors or error else 200
    return render_template("admin/tenant_form.html", form=form, tenant=tenant, error=error), status


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
    error = None
    if form.validate_on_submit():
        try:
            user = account_services.create_user(form.email.data or "", form.name.data or "", is_admin=form.is_admin.data, locale=form.locale.data)
        except Refused as refusal:
            error = show_refusal(form, refusal)
        else:
            account_services.send_password_reset(user)
            db.session.commit()
            flash(_("%(email)s is created. We sent them an e-mail with a link to choose a password.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors or error else 200
    return render_template("admin/user_form.html", form=form, error=error), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])  # loaded below
@require("admin")
def edit_user(managed_user):
    user = managed_user
    error = None
    if request.method == "POST":
        action = _action({"reset_password", *ACTIVE_ACTIONS})
        try:
            if action == "reset_password":
                account_services.send_password_reset(user)
            else:
                account_services.set_user_active(user, ACTIVE_ACTIONS[action], current_user)
        except Refused as refusal:
            error = show_refusal(None, refusal)
        else:
            db.session.commit()
            if action == "reset_password":
                flash(_("We sent %(email)s an e-mail with a link to choose a new password.", email=user.email), "success")
            else:
                flash(_("The changes to %(name)s are saved.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user.html", user=user, error=error), 422 if error else 200


register_loader("tenant_id", "managed_tenant", lambda tenant_id: db.session.get(Tenant, tenant_id))
register_loader("user_id", "managed_user", lambda user_id: db.session.get(User, user_id))
