"""The tenant's users page: coordinators invite people, change their role and deactivate them."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import allowed, require
from bibnet.accounts import services
from bibnet.accounts.forms import InviteForm, MembershipForm
from bibnet.accounts.models import Membership, Role, User
from bibnet.loading import register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.web import menu
from bibnet.web.forms import Outcome, saving
from bibnet.web.pagination import paginate

bp = Blueprint("tenant_users", __name__, url_prefix="/t/<tenant_slug>/users")
menu.register(_l("Users"), "tenant_users.index", "tenant.users.view")


@bp.route("/")
@require("tenant.users.view")
def index():
    page = paginate(
        sa.select(Membership).join(Membership.user).options(joinedload(Membership.user)).order_by(Membership.active.desc(), User.name, Membership.id)
    )
    return render_template("accounts/tenant_users.html", page=page, can_manage=allowed("tenant.users.manage"))


@bp.route("/invite", methods=["GET", "POST"])
@require("tenant.users.manage")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        with saving(form) as outcome:
            membership, created = services.add_member(g.tenant, form.email.data, form.name.data, Role(form.role.data))
            services.send_invitation(membership, current_user)
        if outcome.saved:
            if created:
                flash(_("%(email)s is invited. We sent them an e-mail with a link.", email=membership.user.email), "success")
            else:
                flash(
                    _(
                        "%(email)s already has a BibNet account, under the name %(name)s. They can now work here; we told them by e-mail.",
                        email=membership.user.email,
                        name=membership.user.name,
                    ),
                    "success",
                )
            return redirect(url_for("tenant_users.index"))
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


@bp.route("/<int:membership_id>", methods=["GET", "POST"])  # the membership: loaded below, through the tenant guard
@require("tenant.users.manage")
def edit(membership):
    form = MembershipForm(role=membership.role.value) if request.method == "GET" else MembershipForm()
    outcome = Outcome()
    if form.validate_on_submit():
        action = request.form.get("action", "save")
        if action not in {"save", "deactivate", "reactivate"}:
            abort(400)
        if action == "deactivate" and request.form.get("confirmed") != "yes":  # a step that needs no JavaScript
            return render_template("accounts/confirm_deactivation.html", membership=membership)
        with saving(form) as outcome:
            services.change_membership(
                membership,
                current_user,
                role=Role(form.role.data) if action == "save" else None,
                active={"deactivate": False, "reactivate": True}.get(action),
            )
        if outcome.saved:
            flash(_("The changes to %(name)s are saved.", name=membership.user.name), "success")
            return redirect(url_for("tenant_users.index"))
    status = 422 if form.errors or outcome.error else 200
    return render_template("accounts/membership.html", form=form, membership=membership, error=outcome.error), status


register_loader("membership_id", "membership", lambda membership_id: get_or_404(Membership, membership_id))
