"""Gateable actions: a feature declares actions that another feature may make conditional, and checkers decide.

A feature declares what may be gated (`declare("bookings.host_session", _l("Host sessions in the sensory
room"))`) and calls `check` (or `refusal`) at the point where the action happens, in its services. Another
feature (e-learning: "a valid certificate of course X") registers a checker with `register_checker`; the
two never import each other. With no checker registered, every action passes and nothing is read.

A checker answers `check(user, tenant, action)` in one call, reading what it needs once: a `Refusal` (its
translated message says what is missing: the course to complete), a `Caution` for an action that passes but
soon may not (a certificate expiring soon; pages show the request's cautions as flashed messages after the
action succeeded), or None. Checkers get the request's tenant (the current tenant scope) and read through the
tenant guard, so they see that tenant's rows only.
"""
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, g, has_request_context, request
from flask_babel import lazy_gettext as _l

from bibnet.accounts.models import User
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Tenant


@dataclass(frozen=True)
class Gate:
    action: str
    label: object  # a lazy string: what the action lets someone do, shown where gates are chosen


@dataclass(frozen=True)
class Refusal:
    """Why a checker refuses: a translated message naming what is missing."""

    message: object


@dataclass(frozen=True)
class Caution:
    """A checker lets the action pass but warns: a translated message (a certificate runs out soon)."""

    message: object


Checker = Callable[[User, Tenant, str], Refusal | Caution | None]

_gates: dict[str, Gate] = {}
_checkers: dict[str, Checker] = {}


class GateClosed(Refused):
    """The user may do the action by their role, but a checker refuses it (403): the message says why."""

    status = 403
    title = _l("This action needs something you do not have yet")


def declare(action: str, label) -> None:
    """Make `action` gateable. Declaring it again (modules imported by several apps) keeps the first label."""
    _gates.setdefault(action, Gate(action, label))


def declared() -> list[Gate]:
    """Every gateable action, for the pages where a coordinator chooses what to gate."""
    return list(_gates.values())


def register_checker(name: str, check: Checker) -> None:
    """Add a checker for every gated action. Registering a name again keeps the first (several apps, one process)."""
    _checkers.setdefault(name, check)


def _gate(action: str) -> Gate:
    if action not in _gates:
        raise ValueError(f"action {action!r} is not declared gateable")
    return _gates[action]


def _user_and_tenant(user: User | int) -> tuple[User, Tenant]:
    tenant_id = current_tenant_id()
    if tenant_id is None:
        raise RuntimeError("a gated action is checked in a tenant's scope")
    found = db.session.get(User, user) if isinstance(user, int) else user
    return found, db.session.get(Tenant, tenant_id)


def refusal(action: str, user: User | int) -> Refusal | None:
    """The first checker's refusal of `action` to `user` (a user or their id) in the current tenant, else None.
    When none refuses, the checkers' cautions are kept for the request's page (`warnings`)."""
    _gate(action)
    if not _checkers:
        return None
    user, tenant = _user_and_tenant(user)
    cautions = []
    for check in _checkers.values():
        answer = check(user, tenant, action)
        if isinstance(answer, Refusal):
            return answer
        if answer is not None:
            cautions.append(answer.message)
    if cautions and has_request_context():
        g.setdefault("gate_warnings", []).extend(cautions)
    return None


def passes(action: str, user: User | int) -> bool:
    return refusal(action, user) is None


def check(action: str, user: User | int, field: str | None = None) -> None:
    """Refuse `action` when a checker does: as a field error (422) when `field` names the request's field that
    chose the user (the booking's responsible staff member), else as `GateClosed` (403, the caller is refused)."""
    refused = refusal(action, user)
    if refused is None:
        return
    if field is not None:
        raise Refused({field: [refused.message]})
    raise GateClosed(detail=refused.message)


def warnings() -> list[str]:
    """The request's warnings, translated, each once (one person may be checked for two actions)."""
    found = g.get("gate_warnings", []) if has_request_context() else []
    return list(dict.fromkeys(str(warning) for warning in found))


def _flash_warnings(response):
    """Pages: the warnings of a request that succeeded (a redirect after the change) are flashed to the next page."""
    if response.status_code < 400 and not request.path.startswith("/api/"):
        for warning in warnings():
            flash(warning, "warning")
    return response


def init_app(app) -> None:
    app.after_request(_flash_warnings)
