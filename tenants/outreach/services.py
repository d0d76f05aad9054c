"""The only code that logs services at home and remote and records needs estimates; pages and API call it.
Services check everything first and raise `Refused` with field errors, so nothing is written; they never commit."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.accounts.services import active_members
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import current_tenant_id
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.outreach.models import NOTE_LENGTH, SOURCE_LENGTH, NeedEstimate, OutreachService, ServiceKind, served_column

MAX_SERVED = 1000  # people served by one entry: a talking-book round to a care home, never a town
MAX_PEOPLE = 10_000_000


@dataclass
class ServiceInput:
    kind: ServiceKind
    given_on: date
    staff_id: int | None
    served: dict[str, int] = field(default_factory=dict)
    note: str = ""


@dataclass
class NeedInput:
    target_group: TargetGroup
    people: int
    source: str
    estimated_on: date


def library_today() -> date:
    """The library's day (its time zone), whether a request or a job runs this."""
    return db.session.get(Tenant, current_tenant_id()).today()


def _checked_service(data: ServiceInput) -> dict:
    errors: dict[str, list] = {}
    note = data.note.strip()
    if "\n" in note or "\r" in note:
        errors["note"] = [_l("Write the note on one line.")]
    elif len(note) > NOTE_LENGTH:
        errors["note"] = [_l("Use at most %(max)d characters.", max=NOTE_LENGTH)]
    if data.given_on is None:
        errors["given_on"] = [_l("Enter the day the service was given.")]
    elif data.given_on > library_today():
        errors["given_on"] = [_l("A service is logged once it is given: the day cannot be in the future.")]
    if data.staff_id is None:
        errors["staff_id"] = [_l("Choose the staff member who gave the service.")]
    elif data.staff_id not in {user.id for user in active_members()}:
        errors["staff_id"] = [_l("Choose a member of your library's staff.")]
    groups = {group.value for group in TargetGroup}
    for group, count in data.served.items():
        if group not in groups:
            errors[f"served.{group}"] = [_l("This is not a known target group.")]
        elif not isinstance(count, int) or not 0 <= count <= MAX_SERVED:
            errors[f"served.{group}"] = [_l("Enter a whole number from %(min)d to %(max)d.", min=0, max=MAX_SERVED)]
    if not any(key.startswith("served") for key in errors) and not sum(data.served.values()):
        errors["served"] = [_l("Count the people served, at least one, in their target groups.")]
    if errors:
        raise Refused(errors)
    return {"kind": ServiceKind(data.kind), "given_on": data.given_on, "staff_id": data.staff_id, "note": note} | {
        served_column(group): data.served.get(group.value, 0) for group in TargetGroup
    }


def log_service(data: ServiceInput) -> OutreachService:
    service = OutreachService(**_checked_service(data))
    db.session.add(service)
    db.session.flush()
    return service


def update_service(service: OutreachService, data: ServiceInput) -> OutreachService:
    for name, value in _checked_service(data).items():
        setattr(service, name, value)
    db.session.flush()
    return service


def record_need(data: NeedInput) -> NeedEstimate:
    """An estimate of the people who may need the services in a target group; a second one for the same group and
    day is refused (correct the first instead: the latest per group is the one used)."""
    errors: dict[str, list] = {}
    source = data.source.strip()
    if not source:
        errors["source"] = [_l("Name the source, for example the social services' list or the statistics office.")]
    elif len(source) > SOURCE_LENGTH:
        errors["source"] = [_l("Use at most %(max)d characters.", max=SOURCE_LENGTH)]
    if data.people is None or not isinstance(data.people, int) or not 0 <= data.people <= MAX_PEOPLE:
        errors["people"] = [_l("Enter a whole number from %(min)d to %(max)d.", min=0, max=MAX_PEOPLE)]
    if data.estimated_on is None:
        errors["estimated_on"] = [_l("Enter the day of the estimate.")]
    elif data.estimated_on > library_today():
        errors["estimated_on"] = [_l("The day of the estimate cannot be in the future.")]
    elif db.session.scalar(sa.select(NeedEstimate.id).where(NeedEstimate.target_group == data.target_group, NeedEstimate.estimated_on == data.estimated_on)) is not None:
        errors["estimated_on"] = [_l("There is an estimate for this target group on this day already.")]
    if errors:
        raise Refused(errors)
    estimate = NeedEstimate(target_group=TargetGroup(data.target_group), people=data.people, source=source, estimated_on=data.estimated_on)
    db.session.add(estimate)
    db.session.flush()
    return estimate
