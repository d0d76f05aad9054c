"""Registering for a programme, and the waitlist: the one place these rules live.

- A registration takes `places` = its people (1 for a person, the count of a group) + their companions.
- While the registered places plus the new ones fit the capacity (or there is none), it is REGISTERED;
  otherwise it is WAITLISTED, even if it is a group that would fit once a smaller registration leaves.
- When places free (a cancellation, a larger capacity), waiting registrations are promoted in the order they
  came: the earliest that fits first, again and again until none fits. A large group does not block the people
  behind it from a single free place; it keeps its turn for when enough places free.
- Concurrent registrations for the last places are serialised by a lock on the programme's row (on
  PostgreSQL; SQLite has a single writer): never more places registered than the capacity.
- Access needs are added to the programme's counts (`ProgrammeNeed`) and not stored on the registration: they
  stay counted when a registration is cancelled, an upper bound for the logistics.

Pages, the API and the public form call `register`, `cancel` and `promote_waitlisted`; listeners registered
with `on_promotion` hear every promoted registration (to tell the participant).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
import secrets

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any
from bibnet.tenants.organisations.models import Organisation
from bibnet.tenants.programmes.models import (
    EMAIL_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    AccessNeed,
    Programme,
    ProgrammeNeed,
    Registration,
    RegistrationStatus,
)

MAX_GROUP_SIZE, MAX_COMPANIONS = 200, 10

_promotion_listeners: list[Callable[[Registration], None]] = []


def on_promotion(listener: Callable[[Registration], None]) -> None:
    """Call `listener(registration)` for each registration promoted from the waitlist (within the request)."""
    if listener not in _promotion_listeners:
        _promotion_listeners.append(listener)


@dataclass(frozen=True)
class RegistrationRequest:
    """A registration as a form or the API hands it over. A person: name and a phone or an e-mail. A group:
    its size, and a name and contact details if given."""

    name: str = ""
    phone: str = ""
    email: str = ""
    is_group: bool = False
    group_size: int = 1
    companions: int = 0
    needs: frozenset[AccessNeed] = field(default_factory=frozenset)
    locale: str = "lv"
    referred_by_id: int | None = None

    @property
    def places(self) -> int:
        return self.group_size + self.companions


def _problems(programme: Programme, request: RegistrationRequest) -> dict[str, list]:
    problems: dict[str, list] = {}
    if programme.cancelled_at is not None:
        problems.setdefault("_schema", []).append(_l("This programme is cancelled."))
    name, phone, email = request.name.strip(), request.phone.strip(), request.email.strip()
    if not request.is_group:
        if not name:
            problems["name"] = [_l("Enter the participant's name.")]
        if not phone and not email:
            problems["phone"] = [_l("Enter a phone number or an e-mail address, so that we can tell the participant of changes.")]
        if request.group_size != 1:
            problems["group_size"] = [_l("A person registers one place; register a group to count several people.")]
    elif not 1 <= request.group_size <= MAX_GROUP_SIZE:
        problems["group_size"] = [_l("A group has from 1 to %(most)s people.", most=MAX_GROUP_SIZE)]
    if not 0 <= request.companions <= MAX_COMPANIONS:
        problems["companions"] = [_l("From 0 to %(most)s companions.", most=MAX_COMPANIONS)]
    if request.referred_by_id is not None and db.session.scalar(sa.select(Organisation.id).where(Organisation.id == request.referred_by_id)) is None:
        problems["referred_by_id"] = [_l("Choose an organisation your library works with.")]  # the tenant guard hides other libraries'
    for path, value, longest in (("name", name, NAME_LENGTH), ("phone", phone, PHONE_LENGTH), ("email", email, EMAIL_LENGTH)):
        if len(value) > longest:
            problems[path] = [_l("At most %(count)s characters.", count=longest)]
    return problems


def _locked(programme: Programme) -> Programme:
    """The programme's row, locked until the transaction ends: registrations for it queue here."""
    return db.session.scalars(sa.select(Programme).where(Programme.id == programme.id).with_for_update()).one()


def registered_places(programme: Programme) -> int:
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Registration.places), 0)).where(
            Registration.programme_id == programme.id, Registration.status == RegistrationStatus.REGISTERED
        )
    )


def free_places(programme: Programme) -> int | None:
    """Places still free; None when the programme has no capacity."""
    if programme.capacity is None:
        return None
    return max(programme.capacity - registered_places(programme), 0)


def _fits(programme: Programme, places: int) -> bool:
    free = free_places(programme)
    return free is None or places <= free


def _count_needs(programme: Programme, needs: frozenset[AccessNeed]) -> None:
    if not needs:
        return
    counted = {row.need: row for row in db.session.scalars(sa.select(ProgrammeNeed).where(ProgrammeNeed.programme_id == programme.id))}
    for need in sorted(needs):
        row = counted.get(need) or ProgrammeNeed(programme_id=programme.id, need=need, count=0)
        row.count += 1
        db.session.add(row)


def register(programme: Programme, request: RegistrationRequest) -> Registration:
    """Register for the whole programme: REGISTERED while places are free, else WAITLISTED. Refuses a
    cancelled programme and incomplete details; writes nothing then."""
    refuse_if_any(_problems(programme, request))
    programme = _locked(programme)
    status = RegistrationStatus.REGISTERED if _fits(programme, request.places) else RegistrationStatus.WAITLISTED
    registration = Registration(
        programme_id=programme.id,
        status=status,
        is_group=request.is_group,
        name=request.name.strip(),
        phone=request.phone.strip(),
        email=request.email.strip(),
        group_size=request.group_size,
        companions=request.companions,
        places=request.places,
        locale=request.locale,
        referred_by_id=request.referred_by_id,
        token=secrets.token_urlsafe(18),
    )
    db.session.add(registration)
    _count_needs(programme, request.needs)
    db.session.flush()
    return registration


def promote_waitlisted(programme: Programme) -> list[Registration]:
    """Promote waiting registrations, earliest first, as long as one fits; tell the listeners of each."""
    programme = _locked(programme)
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(Registration.programme_id == programme.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.id)
    ).all()
    free = free_places(programme)
    promoted = []
    for registration in waiting:
        if free is not None and registration.places > free:
            continue
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = utcnow()
        promoted.append(registration)
        if free is not None:
            free -= registration.places
    db.session.flush()
    for registration in promoted:
        for listener in _promotion_listeners:
            listener(registration)
    return promoted


def cancel(registration: Registration) -> list[Registration]:
    """Cancel a registration (registered or waiting) and promote whom its places let in. Cancelling twice
    is refused (409), so that a double click never frees places twice."""
    if registration.status is RegistrationStatus.CANCELLED:
        raise Refused(status=409, detail=_l("This registration is already cancelled."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    db.session.flush()
    programme = db.session.get(Programme, registration.programme_id)
    return promote_waitlisted(programme)
