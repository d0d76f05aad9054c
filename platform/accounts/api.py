"""API: the caller's own account and tenants, and a tenant's users."""
from flask_login import current_user
from flask_smorest import Blueprint
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.access import require
from bibnet.accounts import services
from bibnet.accounts.models import Membership, User
from bibnet.accounts.schemas import MemberPageSchema, MeSchema, MyTenantsSchema
from bibnet.api.schemas import PaginationArgs
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
    items = {m.tenant.slug: {"tenant": m.tenant, "role": m.role.value} for m in services.memberships_of(current_user)}
    for project in services.projects_led_by(current_user):
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
