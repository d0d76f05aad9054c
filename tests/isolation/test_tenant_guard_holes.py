"""The guard has no holes: bulk statements, plain tables and raw SQL, references to another tenant's rows,
bulk inserts and tenant switches inside a request are all covered (issue 9, gate 3)."""
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
import logging

import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.tenancy.context import TenantContextError, all_tenants, partners_of, raw_sql, tenant_scope
from bibnet.tenancy.models import ReportingPeriod
from bibnet.tenants.bookings.models import Booking
from bibnet.tenants.expenditure import services
from bibnet.tenants.expenditure.models import Expenditure
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.tenants.rooms.models import Closure, OpeningHours, Room

INVOICE = ExpenditureInput(
    period_number=1, category="equipment", invoice_date=date(2024, 9, 10), payment_date=date(2024, 9, 20), supplier="SIA Sensorika",
    invoice_number="SR-2024/118", internal_reference="GL-5531", description="Bubble tube with a safety base",
    invoice_total=Decimal("1210.00"), vat=Decimal("210.00"), declared_amount=Decimal("1210.00"),
)


@pytest.fixture
def project(world):
    world.project.reporting_periods = [ReportingPeriod(number=1, starts_on=date(2024, 6, 1), ends_on=date(2024, 11, 30))]
    db.session.commit()
    return world.project


@pytest.fixture
def rooms(world, make_room):
    """A room in Jelgava and one in Pasvalys, each open six days a week."""
    return make_room(world.jelgava), make_room(world.pasvalys)


def closing_times_by_tenant(world) -> dict[int, set[time]]:
    with all_tenants(reason="test: every tenant's opening hours"):
        rows = db.session.execute(sa.select(OpeningHours.tenant_id, OpeningHours.closes)).all()
    return {tenant.id: {closes for tenant_id, closes in rows if tenant_id == tenant.id} for tenant in (world.jelgava, world.pasvalys)}


# --- Bulk UPDATE and DELETE ---------------------------------------------------------------------------------

def test_a_bulk_update_changes_only_the_current_tenants_rows(world, rooms):
    with tenant_scope(world.jelgava):
        db.session.execute(sa.update(OpeningHours).values(closes=time(17)))
        db.session.commit()
    closing = closing_times_by_tenant(world)
    assert closing[world.jelgava.id] == {time(17)}
    assert closing[world.pasvalys.id] == {time(18), time(14)}


def test_a_bulk_delete_removes_only_the_current_tenants_rows(world, rooms):
    with tenant_scope(world.pasvalys):
        db.session.execute(sa.delete(OpeningHours).where(OpeningHours.weekday == 5))
        db.session.commit()
    with all_tenants(reason="test: every tenant's Saturday hours"):
        saturdays = set(db.session.scalars(sa.select(OpeningHours.tenant_id).where(OpeningHours.weekday == 5)))
    assert saturdays == {world.jelgava.id}


@pytest.mark.parametrize("statement", [sa.update(OpeningHours).values(closes=time(17)), sa.delete(OpeningHours)], ids=["update", "delete"])
def test_a_bulk_write_needs_a_tenant_and_is_refused_in_read_only_scopes(world, rooms, statement):
    with pytest.raises(TenantContextError):
        db.session.execute(statement)
    with all_tenants(reason="test: a bulk write across tenants"), pytest.raises(TenantContextError):
        db.session.execute(statement)
    with partners_of(world.project, reason="test: a bulk write over the partners"), pytest.raises(TenantContextError):
        db.session.execute(statement)
    db.session.rollback()
    assert closing_times_by_tenant(world)[world.pasvalys.id] == {time(18), time(14)}


def test_a_bulk_update_cannot_move_rows_to_another_tenant(world, rooms):
    with tenant_scope(world.jelgava), pytest.raises(TenantContextError):
        db.session.execute(sa.update(OpeningHours).values(tenant_id=world.pasvalys.id))
    db.session.rollback()


def test_an_audited_model_is_not_changed_in_bulk(world, rooms):
    """Each change of an audited row is recorded, so such rows are changed through their objects."""
    with tenant_scope(world.jelgava), pytest.raises(RuntimeError, match="audited Room"):
        db.session.execute(sa.update(Room).values(capacity=1))
    db.session.rollback()


# --- Plain tables, Core statements and text() ----------------------------------------------------------------

UNFILTERABLE = {
    "the plain table": lambda: sa.select(Room.__table__),
    "a column of the plain table": lambda: sa.select(Room.__table__.c.name),
    "a count over the plain table": lambda: sa.select(sa.func.count()).select_from(Room.__table__),
    "a lightweight table()": lambda: sa.select(sa.table("room", sa.column("name"))),
    "the plain table in a subquery": lambda: sa.select(Booking.id).where(Booking.room_id.in_(sa.select(Room.__table__.c.id))),
    "text()": lambda: sa.text("SELECT name FROM room"),
    "a Core update": lambda: sa.update(Room.__table__).values(capacity=1),
    "a Core delete": lambda: sa.delete(Closure.__table__),
    "a Core insert": lambda: sa.insert(Closure.__table__).values(starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 1), reason="x"),
}


@pytest.mark.parametrize("make_statement", UNFILTERABLE.values(), ids=UNFILTERABLE.keys())
def test_sql_the_guard_cannot_filter_is_refused_on_tenant_tables(world, rooms, make_statement):
    with tenant_scope(world.jelgava), pytest.raises(TenantContextError, match="cannot filter"):
        db.session.execute(make_statement())
    db.session.rollback()


@pytest.mark.parametrize("make_statement", UNFILTERABLE.values(), ids=UNFILTERABLE.keys())
def test_the_guard_remembers_a_statements_tables_by_its_shape_and_refuses_it_every_time(world, rooms, make_statement):
    for _ in range(3):
        with tenant_scope(world.jelgava), pytest.raises(TenantContextError, match="cannot filter"):
            db.session.execute(make_statement())
        db.session.rollback()


def test_an_orm_statement_remembered_by_shape_is_filtered_for_each_tenant(world, rooms):
    """The same statement in two tenants: what the guard remembered is the tables, never a tenant or a value."""
    names = {}
    for tenant in (world.jelgava, world.pasvalys, world.jelgava):
        with tenant_scope(tenant):
            names[tenant.id] = {room.tenant_id for room in db.session.scalars(sa.select(Room).where(Room.capacity > 0))}
    assert names == {world.jelgava.id: {world.jelgava.id}, world.pasvalys.id: {world.pasvalys.id}}


def test_text_about_other_tables_and_parameters_named_like_a_table_pass(world, rooms):
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.text("SELECT :room"), {"room": 1}) == 1
        assert db.session.scalar(sa.text("SELECT count(*) FROM tenant")) == 2


def test_raw_sql_is_let_through_in_the_escape_hatch_which_is_logged(world, rooms, caplog):
    with caplog.at_level(logging.INFO, logger="bibnet.tenancy"), tenant_scope(world.jelgava), raw_sql(reason="test: a plain count"):
        count = db.session.scalar(sa.text("SELECT count(*) FROM room WHERE tenant_id = :tenant"), {"tenant": world.jelgava.id})
    assert count == 1
    assert f"raw SQL on tenant tables (tenant {world.jelgava.id}): test: a plain count" in caplog.text
    with pytest.raises(ValueError), raw_sql(reason=""):
        pass


def test_orm_statements_on_tenant_models_still_pass(world, rooms):
    """The ORM forms the features use: entities, their columns, counts and subqueries of entities."""
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(sa.func.count(Room.id))) == 1
        rooms_with_hours = sa.select(OpeningHours.room_id).distinct().subquery()
        assert len(db.session.execute(sa.select(rooms_with_hours.c.room_id)).all()) == 1
        assert db.session.scalar(sa.select(Room.name).where(Room.id.in_(sa.select(OpeningHours.room_id)))) == "Sensory room"


def test_get_by_primary_key_finds_no_row_of_another_tenant(world, rooms):
    """`Session.get` reads through the guard. An object already in the session it returns without reading, whatever
    the scope: that is why the services look up ids that come with a request by a SELECT, never by `get`."""
    _jelgava_room, pasvalys_room = rooms
    room_id, jelgava_id, pasvalys_id = pasvalys_room.id, world.jelgava.id, world.pasvalys.id
    db.session.expunge_all()
    with tenant_scope(jelgava_id):
        assert db.session.get(Room, room_id) is None
    with tenant_scope(pasvalys_id):
        assert db.session.get(Room, room_id).id == room_id


# --- References to another tenant's rows -------------------------------------------------------------------

def test_a_closure_of_another_tenants_room_is_refused(world, rooms):
    _jelgava_room, pasvalys_room = rooms
    with tenant_scope(world.jelgava):
        db.session.add(Closure(room_id=pasvalys_room.id, starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), reason="Not ours"))
        with pytest.raises(TenantContextError, match="of another tenant"):
            db.session.flush()
    db.session.rollback()


def test_a_closure_moved_to_another_tenants_room_is_refused(world, rooms):
    jelgava_room_id, pasvalys_room_id = (room.id for room in rooms)
    with tenant_scope(world.jelgava):
        closure = Closure(room_id=jelgava_room_id, starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), reason="Holiday")
        db.session.add(closure)
        db.session.commit()
        db.session.expunge_all()  # the other room is not in the session: the check asks the database
        closure = db.session.scalar(sa.select(Closure))
        closure.room_id = pasvalys_room_id
        with pytest.raises(TenantContextError, match="of another tenant"):
            db.session.flush()
    db.session.rollback()


def test_a_reference_through_the_relationship_is_checked_too(world, rooms):
    with all_tenants(reason="test: load the other tenant's room"):
        pasvalys_room = db.session.scalar(sa.select(Room).where(Room.tenant_id == world.pasvalys.id))
    with tenant_scope(world.jelgava):
        db.session.add(Closure(room=pasvalys_room, starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), reason="Not ours"))
        with pytest.raises(TenantContextError, match="another tenant"):
            db.session.flush()
    db.session.rollback()


def test_references_are_checked_with_a_bounded_number_of_queries(world, rooms, count_queries):
    jelgava_id, jelgava_room_id = world.jelgava.id, rooms[0].id
    db.session.expunge_all()
    with tenant_scope(jelgava_id), count_queries() as counted:
        db.session.add_all([Closure(room_id=jelgava_room_id, starts_on=date(2025, 1, day), ends_on=date(2025, 1, day), reason="Inventory") for day in range(1, 21)])
        db.session.flush()
    checks = [statement for statement in counted.statements if statement.lstrip().upper().startswith("SELECT") and "FROM room" in statement]
    assert len(checks) == 1
    db.session.rollback()


# --- The expenditure bulk insert --------------------------------------------------------------------------------

def test_the_bulk_insert_of_an_import_needs_a_tenant(world, project):
    with pytest.raises(TenantContextError):
        services.insert_checked([INVOICE], project)
    with all_tenants(reason="test: an import across tenants"), pytest.raises(TenantContextError):
        services.insert_checked([INVOICE], project)
    db.session.rollback()


def test_the_bulk_insert_is_stamped_checked_and_audited_row_by_row(world, project):
    second = replace(INVOICE, invoice_number="SR-2024/119")
    with tenant_scope(world.jelgava):
        services.insert_checked([INVOICE, second], project)
        db.session.commit()
        items = db.session.execute(sa.select(Expenditure.id, Expenditure.tenant_id, Expenditure.invoice_number).order_by(Expenditure.id)).all()
    assert [(tenant_id, number) for _id, tenant_id, number in items] == [(world.jelgava.id, "SR-2024/118"), (world.jelgava.id, "SR-2024/119")]
    entries = db.session.execute(
        sa.select(AuditEntry.object_id, AuditEntry.tenant_id, AuditEntry.action, AuditEntry.changes).where(AuditEntry.object_type == "Expenditure").order_by(AuditEntry.object_id)
    ).all()
    assert [(object_id, tenant_id, action) for object_id, tenant_id, action, _changes in entries] == [(item_id, world.jelgava.id, "create") for item_id, _t, _n in items]
    assert entries[1].changes["invoice_number"] == "SR-2024/119"


def test_a_bulk_insert_of_another_tenants_rows_is_refused(world, rooms):
    jelgava_room, pasvalys_room = rooms
    with tenant_scope(world.jelgava):
        with pytest.raises(TenantContextError, match="another tenant"):
            db.session.execute(sa.insert(OpeningHours), [{"room_id": jelgava_room.id, "weekday": 6, "opens": time(9), "closes": time(10), "tenant_id": world.pasvalys.id}])
        with pytest.raises(TenantContextError, match="of another tenant"):
            db.session.execute(sa.insert(OpeningHours), [{"room_id": pasvalys_room.id, "weekday": 6, "opens": time(9), "closes": time(10)}])
    db.session.rollback()


# --- Tenant switches inside a request ----------------------------------------------------------------------------

def test_a_tenant_switch_inside_a_request_is_logged(world, app, caplog):
    with caplog.at_level(logging.INFO, logger="bibnet.tenancy"), app.test_request_context("/projects/1/finance/"), tenant_scope(world.jelgava):
        pass
    assert f"request GET /projects/1/finance/ switches to tenant {world.jelgava.id}" in caplog.text


def test_leaving_the_requests_tenant_needs_a_reason_which_is_logged(world, app, caplog):
    from bibnet.tenancy.context import set_request_tenant

    with caplog.at_level(logging.INFO, logger="bibnet.tenancy"), app.test_request_context("/t/jelgava/"):
        set_request_tenant(world.jelgava.id)
        with pytest.raises(ValueError, match="needs a reason"):
            tenant_scope(world.pasvalys)
        with tenant_scope(world.pasvalys, reason="test: the partner's own figures"):
            pass
    assert f"request GET /t/jelgava/ of tenant {world.jelgava.id} switches to tenant {world.pasvalys.id}: test: the partner's own figures" in caplog.text
