"""Who may call which endpoint. Default deny: an endpoint that declares nothing answers 404.

Every view declares `@require("<permission>")` or `@public`. Permissions are named predicates over the
user and their role in the current tenant (set by `bibnet.tenancy.resolve`); features register their own.
The check itself runs once per request in `enforce`, never inside the views.
"""
from collections.abc import Callable
import enum

from flask import abort, current_app, g, request
from flask_login import current_user

PUBLIC = "public"
_ATTRIBUTE = "bibnet_permission"


class TenantRole(enum.StrEnum):
    """What a user is in the current tenant. Project leads and admins reach tenants they are no member of."""

    COORDINATOR = "coordinator"
    STAFF = "staff"
    LEAD = "lead"
    ADMIN = "admin"


Predicate = Callable[[object, TenantRole | None], bool]
_permissions: dict[str, Predicate] = {}


def register_permission(name: str, predicate: Predicate) -> None:
    if name in _permissions and _permissions[name] is not predicate:
        raise ValueError(f"permission {name!r} is already registered")
    _permissions[name] = predicate


def roles(*allowed: TenantRole) -> Predicate:
    """A predicate true when the user's role in the current tenant is one of `allowed`."""
    return lambda user, role: role in allowed


register_permission("authenticated", lambda user, role: True)
register_permission("admin", lambda user, role: user.is_admin)
register_permission("tenant.view", roles(*TenantRole))
register_permission("tenant.users.view", roles(TenantRole.COORDINATOR, TenantRole.LEAD, TenantRole.ADMIN))
register_permission("tenant.users.manage", roles(TenantRole.COORDINATOR, TenantRole.ADMIN))


def require(permission: str):
    """Declare the permission a view needs. Unknown names fail at import, not at request time."""
    if permission not in _permissions:
        raise ValueError(f"unknown permission {permission!r}")

    def mark(view):
        setattr(view, _ATTRIBUTE, permission)
        return view

    return mark


def public(view):
    setattr(view, _ATTRIBUTE, PUBLIC)
    return view


def declared_permission(view) -> str | None:
    return getattr(view, _ATTRIBUTE, None)


def current_role() -> TenantRole | None:
    """The role that names the user in the current tenant: their membership if they have one (a visiting
    project lead or admin otherwise)."""
    return g.get("tenant_role")


def current_standing() -> tuple[TenantRole, ...]:
    """Every role the user holds in the current tenant (see `bibnet.tenancy.resolve`)."""
    return g.get("tenant_standing", ())


def allowed(permission: str) -> bool:
    """Whether the current user holds `permission` in the current tenant (templates use it to show links):
    granted when any of the roles they hold there grants it, or, outside a tenant, by the user alone."""
    if not current_user.is_authenticated:
        return False
    predicate = _permissions[permission]
    standing = current_standing()
    if not standing:
        return predicate(current_user, None)
    return any(predicate(current_user, role) for role in standing)


def _is_static(endpoint: str) -> bool:
    return endpoint == "static" or endpoint.endswith(".static")


def enforce():
    """`before_request` hook: apply the endpoint's declared permission."""
    endpoint = request.endpoint
    if endpoint is None or _is_static(endpoint):
        return None
    permission = declared_permission(current_app.view_functions[endpoint])
    if permission is None:
        current_app.logger.error("endpoint %s declares no permission; refused", endpoint)
        abort(404)
    if permission == PUBLIC:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not allowed(permission):
        current_app.logger.warning(
            "refused %s to user %s (role %s) at %s", permission, current_user.id, current_role(), request.path
        )
        abort(403)
    return None
