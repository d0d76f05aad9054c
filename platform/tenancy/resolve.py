"""Turns the `/t/<tenant_slug>/…` and `/api/v1/tenants/<tenant_slug>/…` prefix into the request's tenant.

The one place where tenant access is decided: a user reaches a tenant as its active member, as lead of a
project the tenant is partner in, or as platform admin. Anyone else gets 404, as for an unknown slug,
so that tenant names cannot be probed.

A user can stand in a tenant in several ways at once (a project lead whom a coordinator also added as staff);
they hold every one of them. A membership, which a tenant's coordinator controls, therefore never takes away
what a user holds as project lead or platform admin.
"""
from flask import abort, current_app, g
from flask_login import current_user
import sqlalchemy as sa

from bibnet.access import TenantRole
from bibnet.accounts.models import Membership, Role
from bibnet.extensions import db
from bibnet.tenancy import rls
from bibnet.tenancy.context import set_request_tenant, tenant_scope
from bibnet.tenancy.models import Partner, ProjectLead, Tenant

URL_ARGUMENT = "tenant_slug"


def could_be_a_slug(text: str) -> bool:
    """False for what no stored slug can be: longer than the column, or holding a NUL character, which
    PostgreSQL refuses with an error (a 500) instead of finding nothing."""
    return len(text) <= Tenant.slug.type.length and "\x00" not in text


def standing_in_tenant(user, tenant: Tenant) -> tuple[TenantRole, ...]:
    """Every role the user holds in the tenant, the one that names them first (their membership, else admin,
    else lead); empty when they may not reach it. One statement: it runs on every request under a tenant."""
    leads_a_project = (
        sa.select(ProjectLead.id)
        .join(Partner, Partner.project_id == ProjectLead.project_id)
        .where(ProjectLead.user_id == user.id, Partner.tenant_id == tenant.id)
        .exists()
    )
    with tenant_scope(tenant):
        membership_role, leads_project = db.session.execute(
            sa.select(
                sa.select(Membership.role).where(Membership.user_id == user.id, Membership.active).scalar_subquery(),
                leads_a_project,
            )
        ).one()
    standing = []
    if membership_role is not None:
        standing.append(TenantRole(Role(membership_role).value))
    if user.is_admin:
        standing.append(TenantRole.ADMIN)
    if leads_project:
        standing.append(TenantRole.LEAD)
    return tuple(standing)


def _resolve(endpoint, values) -> None:
    if not values or URL_ARGUMENT not in values:
        return
    slug = values.pop(URL_ARGUMENT)
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    # Found and, for row-level security, entered in one statement: the caller's standing is read in the tenant itself.
    tenant = rls.find_entering(db.session, sa.select(Tenant).where(Tenant.slug == slug, Tenant.active), Tenant.id) if could_be_a_slug(slug) else None
    if tenant is None:
        abort(404)
    set_request_tenant(tenant.id)
    standing = standing_in_tenant(current_user, tenant)
    if not standing:
        set_request_tenant(None)
        abort(404)
    g.tenant = tenant
    g.tenant_standing = standing
    g.tenant_role = standing[0]


def _add_current_slug(endpoint, values) -> None:
    tenant = g.get("tenant")
    if tenant is not None and URL_ARGUMENT not in values and current_app.url_map.is_endpoint_expecting(endpoint, URL_ARGUMENT):
        values[URL_ARGUMENT] = tenant.slug


def init_app(app) -> None:
    app.url_value_preprocessor(_resolve)
    app.url_defaults(_add_current_slug)
