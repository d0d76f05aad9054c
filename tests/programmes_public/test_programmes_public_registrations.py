"""The foundation's rules of places and the waitlist (`bibnet.tenants.programmes.registrations`), which the public
form relies on: capacity, companions and groups take places, the waitlist keeps its order, a freed place goes to
the earliest waiting registration that fits, a cancellation counts once, access needs are counted per programme
and never stored on a registration, and a cancelled programme takes nobody. On PostgreSQL, 50 people registering
at once for the last 10 places leave exactly 10 registered and 40 waiting."""
from concurrent.futures import ThreadPoolExecutor
import threading

from programmes_public_world import make_programme
import pytest
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.models import AccessNeed, Programme, ProgrammeNeed, Registration, RegistrationStatus
from bibnet.tenants.programmes.registrations import RegistrationRequest

REGISTERED, WAITLISTED, CANCELLED = RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED


def person(name: str, companions: int = 0, needs=frozenset()) -> RegistrationRequest:
    return RegistrationRequest(name=name, phone="+371 20000000", companions=companions, needs=frozenset(needs))


def group(size: int, name: str = "Care home") -> RegistrationRequest:
    return RegistrationRequest(name=name, is_group=True, group_size=size)


def statuses(programme) -> dict[str, RegistrationStatus]:
    rows = db.session.scalars(sa.select(Registration).where(Registration.programme_id == programme.id).order_by(Registration.id))
    return {row.name: row.status for row in rows}


def test_people_are_registered_up_to_the_capacity_and_the_rest_wait(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=2)
    for name in ("Anna", "Bruno", "Cilda"):
        registrations.register(programme, person(name))
    assert statuses(programme) == {"Anna": REGISTERED, "Bruno": REGISTERED, "Cilda": WAITLISTED}
    assert registrations.free_places(programme) == 0


def test_a_programme_without_capacity_registers_everyone(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=None)
    registrations.register(programme, group(150))
    assert registrations.register(programme, person("Anna", companions=3)).status is REGISTERED
    assert registrations.free_places(programme) is None


def test_companions_take_places(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=4)
    helped = registrations.register(programme, person("Anna", companions=2))
    assert (helped.places, helped.status) == (3, REGISTERED)
    assert registrations.register(programme, person("Bruno", companions=1)).status is WAITLISTED  # 2 places, 1 free
    assert registrations.register(programme, person("Cilda")).status is REGISTERED
    assert registrations.free_places(programme) == 0


def test_a_group_takes_as_many_places_as_it_has_people_and_waits_whole(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=10)
    assert registrations.register(programme, group(8, "Care home Liepa")).places == 8
    assert registrations.register(programme, group(3, "Day centre")).status is WAITLISTED  # never split over the capacity
    assert registrations.register(programme, person("Anna", companions=1)).status is REGISTERED  # 2 places still fit
    assert registrations.free_places(programme) == 0


def test_a_freed_place_goes_to_the_earliest_waiting_registration(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=1)
    first = registrations.register(programme, person("Anna"))
    registrations.register(programme, person("Bruno"))
    registrations.register(programme, person("Cilda"))
    promoted = registrations.cancel(first)
    assert [registration.name for registration in promoted] == ["Bruno"]
    assert promoted[0].promoted_at is not None
    assert statuses(programme) == {"Anna": CANCELLED, "Bruno": REGISTERED, "Cilda": WAITLISTED}


def test_a_large_group_keeps_its_turn_without_blocking_a_single_free_place(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=3)
    anna, bruno, cilda = (registrations.register(programme, person(name)) for name in ("Anna", "Bruno", "Cilda"))
    registrations.register(programme, group(3, "Care home"))
    registrations.register(programme, person("Dace"))
    assert [r.name for r in registrations.cancel(anna)] == ["Dace"]  # the group does not fit in one place
    assert registrations.cancel(bruno) == [] and registrations.cancel(cilda) == []
    dace = db.session.scalar(sa.select(Registration).where(Registration.name == "Dace"))
    assert [r.name for r in registrations.cancel(dace)] == ["Care home"]  # all three places free: its turn
    assert statuses(programme)["Care home"] is REGISTERED


def test_several_waiting_registrations_are_promoted_while_they_fit(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=4)
    big = registrations.register(programme, group(4))
    for name in ("Anna", "Bruno", "Cilda"):
        registrations.register(programme, person(name))
    assert [r.name for r in registrations.cancel(big)] == ["Anna", "Bruno", "Cilda"]


def test_a_cancelled_waiting_registration_frees_nothing_and_is_passed_over(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=1)
    anna = registrations.register(programme, person("Anna"))
    bruno = registrations.register(programme, person("Bruno"))
    registrations.register(programme, person("Cilda"))
    assert registrations.cancel(bruno) == []
    assert [r.name for r in registrations.cancel(anna)] == ["Cilda"]


def test_cancelling_twice_is_refused_and_frees_places_once(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=1)
    anna = registrations.register(programme, person("Anna"))
    registrations.register(programme, person("Bruno"))
    registrations.register(programme, person("Cilda"))
    registrations.cancel(anna)
    with pytest.raises(Refused) as refused:
        registrations.cancel(anna)
    assert refused.value.status == 409
    assert statuses(programme) == {"Anna": CANCELLED, "Bruno": REGISTERED, "Cilda": WAITLISTED}


def test_access_needs_are_counted_per_programme_and_never_stored_on_the_registration(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=5)
    other = make_programme(world.jelgava, title="Computer class", capacity=5)
    anna = registrations.register(programme, person("Anna", needs={AccessNeed.WHEELCHAIR, AccessNeed.LARGE_PRINT}))
    registrations.register(programme, person("Bruno", needs={AccessNeed.WHEELCHAIR}))
    registrations.register(other, person("Cilda", needs={AccessNeed.HEARING_LOOP}))
    registrations.cancel(anna)  # the counts are an upper bound for the logistics: they stay

    def counts(of):
        return {row.need: row.count for row in db.session.scalars(sa.select(ProgrammeNeed).where(ProgrammeNeed.programme_id == of.id))}

    assert counts(programme) == {AccessNeed.WHEELCHAIR: 2, AccessNeed.LARGE_PRINT: 1}
    assert counts(other) == {AccessNeed.HEARING_LOOP: 1}
    assert not [column.name for column in Registration.__table__.columns if "need" in column.name or "health" in column.name]
    columns = [column.key for column in sa.inspect(Registration).column_attrs]
    stored = " ".join(str(getattr(row, column)) for row in db.session.scalars(sa.select(Registration)) for column in columns)
    assert not any(need.value in stored for need in AccessNeed)


def test_a_cancelled_programme_takes_no_registration_and_nothing_is_written(world, in_jelgava):
    programme = make_programme(world.jelgava)
    programme.cancelled_at = utcnow()
    db.session.commit()
    with pytest.raises(Refused) as refused:
        registrations.register(programme, person("Anna", needs={AccessNeed.WHEELCHAIR}))
    assert "cancelled" in refused.value.summary()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeNeed)) == 0


def test_a_person_without_name_or_contact_is_refused_with_a_message_per_field(world, in_jelgava):
    programme = make_programme(world.jelgava)
    with pytest.raises(Refused) as refused:
        registrations.register(programme, RegistrationRequest(name=" ", companions=11))
    assert set(refused.value.errors) == {"name", "phone", "companions"}


CONCURRENT, LAST_PLACES = 50, 10


def test_fifty_people_registering_at_once_for_the_last_ten_places_leave_ten_registered(app, world, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the lock on the programme's row is PostgreSQL's guarantee (SQLite serialises every writer)")
    programme = make_programme(world.jelgava, capacity=30)
    with tenant_scope(world.jelgava):
        for number in range(30 - LAST_PLACES):
            registrations.register(programme, person(f"Early {number}"))
        programme_id = programme.id
        db.session.commit()
    tenant_id = world.jelgava.id
    barrier = threading.Barrier(CONCURRENT)

    def register(number: int) -> str:
        barrier.wait()  # before taking a connection: the pool has fewer than 50, the rest queue for one
        with app.app_context():
            tenant = db.session.get(Tenant, tenant_id)
            with tenant_scope(tenant):
                target = db.session.get(Programme, programme_id)
                status = registrations.register(target, person(f"Late {number}")).status
                db.session.commit()
            db.session.remove()
            return status

    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(register, range(CONCURRENT)))
    assert (answers.count(REGISTERED), answers.count(WAITLISTED)) == (LAST_PLACES, CONCURRENT - LAST_PLACES)
    with tenant_scope(world.jelgava):
        late = dict(db.session.execute(
            sa.select(Registration.status, sa.func.count()).where(Registration.name.like("Late %")).group_by(Registration.status)
        ).all())
        assert late == {REGISTERED: LAST_PLACES, WAITLISTED: CONCURRENT - LAST_PLACES}
        assert registrations.registered_places(programme) == 30
    db.session.commit()


def test_a_larger_capacity_lets_the_waiting_in_when_promoted(world, in_jelgava):
    programme = make_programme(world.jelgava, capacity=1)
    for name in ("Anna", "Bruno", "Cilda"):
        registrations.register(programme, person(name))
    programme.capacity = 2
    assert [r.name for r in registrations.promote_waitlisted(programme)] == ["Bruno"]
    assert statuses(programme) == {"Anna": REGISTERED, "Bruno": REGISTERED, "Cilda": WAITLISTED}
