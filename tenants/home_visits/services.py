"""The only code that schedules and logs home visits; pages and API call it. Services check first and raise
`Refused`; they never commit."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.accounts.services import active_members
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.models import (
    NOTE_LENGTH,
    OUTCOME_LENGTH,
    VOLUNTEER_LENGTH,
    Direction,
    HomeVisit,
    HomeVisitItem,
    PartOfDay,
    VisitStatus,
    count_column,
)
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.lending import services as lending
from bibnet.tenants.lending.models import Borrower

MAX_SERVED = 500
ALREADY_LOGGED = _l("This visit is already logged.")


@dataclass
class VisitInput:
    borrower_id: int
    visit_on: date
    part_of_day: PartOfDay
    staff_id: int | None = None
    volunteer_name: str = ""


@dataclass
class VisitLog:
    held: bool
    device_checked: bool | None = None
    outcome: str = ""
    taken_tags: list[str] = field(default_factory=list)
    returned_tags: list[str] = field(default_factory=list)
    taken_note: str = ""
    returned_note: str = ""
    served: dict[str, int] = field(default_factory=dict)


def _check_visitor(errors: dict, staff_id: int | None, volunteer_name: str) -> None:
    if staff_id is None and not volunteer_name:
        errors["staff_id"] = [_l("Choose the staff member who visits, or enter a volunteer's name.")]
    if staff_id is not None and volunteer_name:
        errors["volunteer_name"] = [_l("A visit is made by a staff member or by a volunteer: leave the other empty.")]
    if staff_id is not None and staff_id not in {user.id for user in active_members()}:
        errors["staff_id"] = [_l("Choose a member of your library's staff.")]
    if len(volunteer_name) > VOLUNTEER_LENGTH:
        errors["volunteer_name"] = [_l("Use at most %(max)d characters.", max=VOLUNTEER_LENGTH)]


def schedule(data: VisitInput) -> HomeVisit:
    errors: dict[str, list] = {}
    volunteer_name = data.volunteer_name.strip()
    borrower = _visible(Borrower, data.borrower_id)
    if borrower is None or borrower.erased:
        errors["borrower_id"] = [_l("Choose one of your library's borrowers.")]
    if data.visit_on < _today():
        errors["visit_on"] = [_l("A visit is scheduled for today or a later day.")]
    _check_visitor(errors, data.staff_id, volunteer_name)
    if errors:
        raise Refused(errors)
    visit = HomeVisit(borrower_id=data.borrower_id, visit_on=data.visit_on, part_of_day=data.part_of_day, staff_id=data.staff_id, volunteer_name=volunteer_name)
    db.session.add(visit)
    db.session.flush()
    return visit


def _visible(model, row_id: int):
    """The current tenant's row, read through the guard (`session.get` could answer from the identity map)."""
    return db.session.scalar(sa.select(model).where(model.id == row_id))


def _today() -> date:
    """The library's day (its time zone), whether a request or a job runs this."""
    return db.session.get(Tenant, current_tenant_id()).today()


def _items(errors: dict, path: str, tags: list[str]) -> list[int]:
    found = []
    for tag in (tag for tag in tags if tag.strip()):
        item = inventory.by_tag(tag)
        if item is None:
            errors.setdefault(path, []).append(_l("No item of your library has the tag %(tag)s.", tag=tag.strip()))
        elif item.id not in found:
            found.append(item.id)
    return found


def log(visit: HomeVisit, data: VisitLog) -> HomeVisit:
    """Log a scheduled visit as held (with what went out and came back, the device check, the outcome and the
    people served per target group) or missed. A visit is logged once."""
    errors: dict[str, list] = {}
    if visit.status is not VisitStatus.SCHEDULED:
        raise Refused({"status": [ALREADY_LOGGED]}, status=409)
    if visit.visit_on > _today():
        errors["held"] = [_l("A visit can be logged on its day or later.")]
    outcome = data.outcome.strip()
    if len(outcome) > OUTCOME_LENGTH:
        errors["outcome"] = [_l("Use at most %(max)d characters.", max=OUTCOME_LENGTH)]
    for name in ("taken_note", "returned_note"):
        if len(getattr(data, name).strip()) > NOTE_LENGTH:
            errors[name] = [_l("Use at most %(max)d characters.", max=NOTE_LENGTH)]
    groups = {group.value for group in TargetGroup}
    for group, count in data.served.items():
        if group not in groups:
            errors[f"served.{group}"] = [_l("This is not a known target group.")]
        elif not 0 <= count <= MAX_SERVED:
            errors[f"served.{group}"] = [_l("Enter a whole number from %(min)d to %(max)d.", min=0, max=MAX_SERVED)]
    taken = _items(errors, "taken_tags", data.taken_tags)
    returned = _items(errors, "returned_tags", data.returned_tags)
    if data.held and not sum(data.served.values()) and "served" not in errors:
        errors["served"] = [_l("Count the people served, at least one, in their target groups.")]
    if errors:
        raise Refused(errors)
    visit.status = VisitStatus.HELD if data.held else VisitStatus.MISSED
    visit.logged_at = utcnow()
    visit.outcome = outcome
    if data.held:
        visit.device_checked = data.device_checked
        visit.taken_note, visit.returned_note = data.taken_note.strip(), data.returned_note.strip()
        for group in TargetGroup:
            setattr(visit, count_column(group), data.served.get(group.value, 0))
        db.session.add_all([HomeVisitItem(visit_id=visit.id, item_id=item_id, direction=Direction.OUT) for item_id in taken])
        db.session.add_all([HomeVisitItem(visit_id=visit.id, item_id=item_id, direction=Direction.BACK) for item_id in returned])
        if data.device_checked:
            lending.seen_in_use(visit.borrower_id, visit.visit_on)
    db.session.flush()
    return visit
