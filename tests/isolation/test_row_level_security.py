"""PostgreSQL row-level security, the backstop behind the guard (issue 9, gate 4): as the app's role, a tenant
table shows and takes only the rows of the tenant scope set for the transaction, whatever the SQL says."""
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy import rls
from bibnet.tenancy.context import all_tenants, partners_of, raw_sql, tenant_scope
from bibnet.tenants.rooms.models import Room

from conftest import log_in


@pytest.fixture
def postgresql(app_context):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")


@pytest.fixture
def rooms(world, make_room, postgresql):
    """A room in Jelgava and one in Pasvalys."""
    return make_room(world.jelgava, name="Jelgava room"), make_room(world.pasvalys, name="Pasvalys room")


def raw_room_names(tenant_id="", tenant_ids="", all_tenants="") -> set[str]:
    """`SELECT name FROM room` as the app's role, on a connection of its own, with these settings."""
    with db.engine.connect() as connection:
        connection.execute(
            sa.text("SELECT set_config('bibnet.tenant_id', :t, true), set_config('bibnet.tenant_ids', :ts, true), set_config('bibnet.all_tenants', :a, true)"),
            {"t": str(tenant_id), "ts": tenant_ids, "a": all_tenants},
        )
        return set(connection.scalars(sa.text("SELECT name FROM room")))


def test_every_tenant_table_has_forced_row_level_security_and_its_policies(postgresql):
    """Fails when a migration creates a tenant table without `rls.enable_row_level_security(op)`."""
    tables = rls.tenant_table_names()
    assert "room" in tables and "membership" in tables
    secured = dict(db.session.execute(sa.text(
        "SELECT c.relname, c.relrowsecurity AND c.relforcerowsecurity FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    )).all())
    policies = set(db.session.execute(sa.text("SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema()")).all())
    for table in tables:
        assert secured.get(table), f"{table} has no forced row-level security"
        assert {(table, rls.TENANT_POLICY), (table, rls.CROSS_TENANT_POLICY)} <= policies, f"{table} lacks its policies"


def test_the_app_connects_as_a_role_that_row_level_security_applies_to(postgresql):
    superuser, bypass = db.session.execute(sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
    owner = db.session.scalar(sa.text("SELECT tableowner FROM pg_tables WHERE tablename = :name"), {"name": Room.__tablename__})
    assert (superuser, bypass) == (False, False)
    assert owner != db.session.scalar(sa.text("SELECT current_user"))


def test_a_raw_select_shows_only_the_tenant_set_for_the_transaction(world, rooms):
    assert raw_room_names(world.jelgava.id) == {"Jelgava room"}
    assert raw_room_names(world.pasvalys.id) == {"Pasvalys room"}


def test_a_raw_select_with_another_tenant_or_none_set_returns_nothing(world, rooms, make_tenant):
    other = make_tenant("elsewhere")
    assert raw_room_names(other.id) == set()
    assert raw_room_names() == set()
    with db.engine.connect() as connection:  # never set on this connection at all
        assert connection.scalar(sa.text("SELECT count(*) FROM room")) == 0


def test_cross_tenant_reads_see_the_partners_listed_or_every_tenant(world, rooms, make_tenant, make_room):
    make_room(make_tenant("elsewhere"), name="Elsewhere room")
    assert raw_room_names(tenant_ids=f"{world.jelgava.id},{world.pasvalys.id}") == {"Jelgava room", "Pasvalys room"}
    assert raw_room_names(all_tenants="on") == {"Jelgava room", "Pasvalys room", "Elsewhere room"}


def test_raw_writes_to_another_tenants_rows_are_refused_by_the_database(world, rooms):
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT set_config('bibnet.tenant_id', :t, true), set_config('bibnet.all_tenants', 'on', true)"), {"t": str(world.jelgava.id)})
        assert connection.execute(sa.text("UPDATE room SET capacity = 1 WHERE tenant_id = :p"), {"p": world.pasvalys.id}).rowcount == 0
        assert connection.execute(sa.text("DELETE FROM room WHERE tenant_id = :p"), {"p": world.pasvalys.id}).rowcount == 0
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            connection.execute(
                sa.text("INSERT INTO room (tenant_id, library, name, capacity, description, features, buffer_minutes, min_notice_hours, max_advance_days,"
                        " max_duration_minutes, needs_approval, calendar_token, active, created_at)"
                        " VALUES (:p, 'x', 'Intruder', 1, '', '[]', 0, 0, 1, 60, false, 'token', true, now())"),
                {"p": world.pasvalys.id},
            )


def test_the_app_sets_the_scope_for_each_transaction_and_each_switch(world, rooms):
    """The SQL below filters nothing: the rows come from the scope the guard hands to the database."""
    count = sa.text("SELECT count(*) FROM room")
    with raw_sql(reason="test: unfiltered counts"):
        assert db.session.scalar(count) == 0
        with tenant_scope(world.jelgava), raw_sql(reason="test: Jelgava's count"):
            assert db.session.scalar(count) == 1
            with all_tenants(reason="test: every tenant"), raw_sql(reason="test: every tenant's count"):
                assert db.session.scalar(count) == 2
            assert db.session.scalar(count) == 1
        with partners_of(world.project, reason="test: the partners"), raw_sql(reason="test: the partners' count"):
            assert db.session.scalar(count) == 2
        db.session.commit()
        assert db.session.scalar(count) == 0


def test_objects_already_loaded_can_be_refreshed_outside_their_scope(world, rooms):
    """As the guard lets attribute loads through, so does the database (reads only)."""
    room = rooms[0]
    db.session.commit()  # expires the room
    assert room.name == "Jelgava room"
    with tenant_scope(world.pasvalys):
        db.session.expire(room)
        assert room.name == "Jelgava room"
        assert db.session.scalars(sa.select(Room.name)).all() == ["Pasvalys room"]


def test_a_tenant_page_finds_its_tenant_and_enters_it_in_one_statement(world, rooms, client):
    """The resolver's lookup of the tenant also sets the transaction's scope: no separate round trip for it."""
    log_in(client, world.coordinator.email)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get(f"/t/{world.jelgava.slug}/rooms/").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert "Jelgava room" in page and "Pasvalys room" not in page
    assert rls.SET_SCOPE_SQL not in statements
    assert any("set_config" in statement and "FROM tenant" in statement for statement in statements)
