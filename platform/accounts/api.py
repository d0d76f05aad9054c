"""API: the caller's own account and tenants, and a tenant's users."""
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from bibnet.access import require
from bibnet.accounts.models import Membership, User
from bibnet.accounts.schemas import MemberPageSchema, MeSchema, MyTenantsSchema
from bibnet.api.schemas import PaginationArgs
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Partner, Project, ProjectLead
from bibnet.web.pagination import paginate

blp = Blueprint("api_accounts", __name__, url_prefix="/api/v1", description="Your account, your tenants and their users")


@blp.route("/me")
@require("authenticated")
@blp.response(200, MeSchema)
def me():
    """The account the token belongs to"""
    return current_user


@blp.route("/me/tenants")
@require("authenticated")
@blp.response(200, MyTenantsSchema)
def my_tenants():
    """Tenants the caller is a member of, and those of projects they lead"""
    with all_tenants(reason="api: the caller's own memberships"):
        memberships = db.session.scalars(
            sa.select(Membership)
            .where(Membership.user_id == current_user.id, Membership.active)
            .options(joinedload(Membership.tenant))
        ).all()
    items = {m.tenant.slug: {"tenant": m.tenant, "role": m.role.value} for m in memberships if m.tenant.active}
    led = db.session.scalars(
        sa.select(Project)
        .join(ProjectLead, ProjectLead.project_id == Project.id)
        .where(ProjectLead.user_id == current_user.id)
        .options(selectinload(Project.partners).joinedload(Partner.tenant))
    ).all()
    for project in led:
        for partner in project.partners:
            items.setdefault(partner.tenant.slug, {"tenant": partner.tenant, "role": "lead"})
    return {"items": sorted(items.values(), key=lambda item: item["tenant"].name)}


@blp.route("/tenants/<tenant_slug>/users")
@require("tenant.users.view")
@blp.arguments(PaginationArgs, location="query", as_kwargs=True)
@blp.response(200, MemberPageSchema)
def tenant_users(page, per_page):
    """The tenant's users, with their role (coordinators, project leads and admins)"""
    return paginate(
        sa.select(Membership).join(Membership.user).options(joinedload(Membership.user)).order_by(User.name, Membership.id),
        page=page,
        per_page=per_page,
    )
