"""Reading the audit log: the one query behind every page that shows it.

A page builds an `AuditScope` from what the request has already been allowed to see (the resolved tenant, the
project the resolver found the caller to lead, or the admin's everything) and passes it with the user's
filters to `entries_page`. Audit entries are global rows (a change to a user belongs to no tenant), so the
tenant guard does not filter them: the scope is the one place that limits which tenants' entries show.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from bibnet.accounts.models import User
from bibnet.audit.labels import object_type_label
from bibnet.audit.models import AuditEntry
from bibnet.audit.recorder import REDACTED
from bibnet.extensions import db
from bibnet.tenancy.models import Tenant
from bibnet.web.pagination import Page, paginate

# What the recorder writes (`recorder.py`), and the expenditure import's one entry per file.
ACTION_LABELS = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"), "import": _l("Imported")}

# Long texts (a 2,000-character note) are cut in the list; the log keeps them whole.
SHOWN_VALUE_LENGTH = 200


@dataclass(frozen=True)
class AuditScope:
    """Whose entries a page may show: those of `tenant_ids`, or every entry (tenant_ids None, the admin's)."""

    tenant_ids: frozenset[int] | None

    @classmethod
    def everything(cls) -> "AuditScope":
        return cls(None)

    @classmethod
    def of_tenant(cls, tenant) -> "AuditScope":
        return cls(frozenset({tenant.id}))

    @classmethod
    def of_project(cls, project) -> "AuditScope":
        """The entries of the project's partner tenants (`project.partners` loaded by the project resolver)."""
        return cls(frozenset(partner.tenant_id for partner in project.partners))

    def condition(self):
        return sa.true() if self.tenant_ids is None else AuditEntry.tenant_id.in_(sorted(self.tenant_ids))


@dataclass(frozen=True)
class AuditFilters:
    tenant_id: int | None = None
    actor_id: int | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: date | None = None  # first day shown, in `zone`
    until: date | None = None  # last day shown, in `zone`
    zone: str = "UTC"

    def conditions(self) -> list:
        conditions = []
        if self.tenant_id is not None:
            conditions.append(AuditEntry.tenant_id == self.tenant_id)
        if self.actor_id is not None:
            conditions.append(AuditEntry.actor_id == self.actor_id)
        if self.object_type is not None:
            conditions.append(AuditEntry.object_type == self.object_type)
        if self.object_id is not None:
            conditions.append(AuditEntry.object_id == self.object_id)
        if self.since is not None:
            conditions.append(AuditEntry.at >= _start_of(self.since, self.zone))
        if self.until is not None:
            conditions.append(AuditEntry.at < _start_of(self.until + timedelta(days=1), self.zone))
        return conditions


def _start_of(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


@dataclass(frozen=True)
class Change:
    field: str
    old: str | None
    new: str | None
    redacted: bool  # changed, but its values are not recorded (a password hash)


@dataclass(frozen=True)
class ShownEntry:
    id: int
    at: datetime
    actor: str | None  # None: the system (a job, a command) or a deleted account
    tenant: str | None
    action: str
    action_label: str
    object_type: str
    object_label: str
    object_id: int | None
    changes: list[Change]


def _shown_value(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= SHOWN_VALUE_LENGTH else text[:SHOWN_VALUE_LENGTH] + "…"


def changes_of(entry: AuditEntry) -> list[Change]:
    """A created object's values (as new values), or an update's old → new pairs; a delete records none."""
    changes = []
    for field, value in sorted((entry.changes or {}).items()):
        if value == REDACTED:
            changes.append(Change(field, None, None, redacted=True))
        elif entry.action == "update" and isinstance(value, list) and len(value) == 2:
            changes.append(Change(field, _shown_value(value[0]), _shown_value(value[1]), redacted=False))
        else:
            changes.append(Change(field, None, _shown_value(value), redacted=False))
    return changes


def entries_page(scope: AuditScope, filters: AuditFilters) -> Page:
    """One page of the scope's entries matching the filters, newest first, with who made them and in which
    tenant: two SQL statements (the count and the page) whatever the page size."""
    actor = aliased(User)
    statement = (
        sa.select(AuditEntry, actor.name, Tenant.name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .outerjoin(Tenant, Tenant.id == AuditEntry.tenant_id)
        .where(scope.condition(), *filters.conditions())
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    page = paginate(statement, scalars=False)
    page.items = [
        ShownEntry(
            id=entry.id,
            at=entry.at,
            actor=actor_name,
            tenant=tenant_name,
            action=entry.action,
            action_label=str(ACTION_LABELS.get(entry.action, entry.action)),
            object_type=entry.object_type,
            object_label=object_type_label(entry.object_type),
            object_id=entry.object_id,
            changes=changes_of(entry),
        )
        for entry, actor_name, tenant_name in page.items
    ]
    return page


def actors_in(scope: AuditScope) -> list[tuple[int, str]]:
    """(id, name) of everyone who made a change the scope shows, for the filter: one statement."""
    acted = sa.select(AuditEntry.actor_id).where(scope.condition(), AuditEntry.actor_id.is_not(None)).distinct()
    return [tuple(row) for row in db.session.execute(sa.select(User.id, User.name).where(User.id.in_(acted)).order_by(User.name, User.id))]


def tenants_in(scope: AuditScope) -> list[tuple[int, str]]:
    """(id, name) of the tenants the scope covers, for the filter: one statement."""
    statement = sa.select(Tenant.id, Tenant.name).order_by(Tenant.name, Tenant.id)
    if scope.tenant_ids is not None:
        statement = statement.where(Tenant.id.in_(sorted(scope.tenant_ids)))
    return [tuple(row) for row in db.session.execute(statement)]
