"""Turns the `/t/<tenant_slug>/…` and `/api/v1/tenants/<tenant_slug>/…` prefix into the request's tenant.

The one place where tenant access is decided: a user reaches a tenant as its active member, as lead of a
project the tenant is partner in, or as platform admin. Anyone else gets 404, as for an unknown slug,
so that tenant names cannot be probed.
"""
import sqlalchemy as sa
from flask import abort, current_app, g
from flask_login import current_user

from bibnet.access import TenantRole
from bibnet.accounts.models import Membership
from bibnet.extensions import db
from bibnet.tenancy.context import set_request_tenant, tenant_scope
from bibnet.tenancy.models import Partner, ProjectLead, Tenant

URL_ARGUMENT = "tenant_slug"


def role_in_tenant(user, tenant: Tenant) -> TenantRole | None:
    with tenant_scope(tenant):
        membership_role = db.session.scalar(
            sa.select(Membership.role).where(Membership.user_id == user.id, Membership.active)
        )
    if membership_role is not None:
        return TenantRole(membership_role.value)
    if user.is_admin:
        return TenantRole.ADMIN
    leads_project = db.session.scalar(
        sa.select(sa.literal(True))
        .select_from(ProjectLead)
        .join(Partner, Partner.project_id == ProjectLead.project_id)
        .where(ProjectLead.user_id == user.id, Partner.tenant_id == tenant.id)
        .limit(1)
    )
    return TenantRole.LEAD if leads_project else None


def _resolve(endpoint, values) -> None:
    if not values or URL_ARGUMENT not in values:
        return
    slug = values.pop(URL_ARGUMENT)
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug, Tenant.active))
    role = role_in_tenant(current_user, tenant) if tenant is not None else None
    if role is None:
        abort(404)
    g.tenant = tenant
    g.tenant_role = role
    set_request_tenant(tenant.id)


def _add_current_slug(endpoint, values) -> None:
    tenant = g.get("tenant")
    if tenant is not None and URL_ARGUMENT not in values:
        if current_app.url_map.is_endpoint_expecting(endpoint, URL_ARGUMENT):
            values[URL_ARGUMENT] = tenant.slug


def init_app(app) -> None:
    app.url_value_preprocessor(_resolve)
    app.url_defaults(_add_current_slug)
