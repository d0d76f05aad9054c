"""The programmes' figures: sessions held (attendance counted, not cancelled), participants in total and per
target group, participations in cross-border programmes (RCO81) and cross-border events held (RCO115), each
on its day in the library's calendar; they show on the usage page. The list page's queries are bounded."""
from datetime import timedelta

from programme_world import make_programme, session_at
import sqlalchemy as sa

from bibnet import figures
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.programmes.figures import CROSS_BORDER_EVENTS, CROSS_BORDER_PARTICIPATIONS, PARTICIPANTS_TOTAL, SESSIONS_HELD, participants_key
from bibnet.tenants.programmes.models import ProgrammeKind

from conftest import log_in


def _counted(session, **counts):
    for group, count in counts.items():
        setattr(session, f"attended_{group}", count)
    db.session.commit()


def test_the_figures_count_held_sessions_and_their_participants(world, in_jelgava):
    today = world.jelgava.today()
    club = make_programme(world)
    conference = make_programme(world, kind=ProgrammeKind.EVENT, title={"en": "Conference"}, partner_tenant_ids=[world.pasvalys.id])
    assert conference.cross_border
    _counted(session_at(club, today - timedelta(days=3)), seniors=6, visual=1)
    _counted(session_at(club, today - timedelta(days=10)), seniors=5)
    session_at(club, today - timedelta(days=2))  # not counted: not held as far as the figures know
    cancelled = session_at(club, today - timedelta(days=1))
    _counted(cancelled, seniors=4)
    cancelled.cancelled_at = utcnow()
    db.session.commit()
    _counted(session_at(conference, today - timedelta(days=4)), seniors=10, hearing=3)
    table = figures.compute(None, [world.jelgava], today - timedelta(days=7), today)
    value = lambda key: table.value(world.jelgava.id, key)  # noqa: E731
    assert value(SESSIONS_HELD) == 2
    assert (value(participants_key_of("seniors")), value(participants_key_of("visual")), value(participants_key_of("hearing"))) == (16, 1, 3)
    assert value(PARTICIPANTS_TOTAL) == 20
    assert value(CROSS_BORDER_PARTICIPATIONS) == 13
    assert value(CROSS_BORDER_EVENTS) == 1
    assert [figure.key for figure in figures.sources_of_indicator("RCO81")] == [CROSS_BORDER_PARTICIPATIONS]
    assert CROSS_BORDER_EVENTS in [figure.key for figure in figures.sources_of_indicator("RCO115")]


def participants_key_of(group: str) -> str:
    from bibnet.tenants.bookings.models import TargetGroup

    return participants_key(TargetGroup(group))


def test_the_figures_show_on_the_usage_page(world, client, in_jelgava):
    club = make_programme(world)
    _counted(session_at(club, world.jelgava.today() - timedelta(days=1)), seniors=7)
    log_in(client, "coordinator@jelgava.example")
    page = client.get("/t/jelgava/usage/").get_data(as_text=True)
    assert "Programme sessions held" in page and "Programme participants in all target groups" in page


def test_the_figures_run_the_same_queries_for_one_tenant_or_two(world):
    from bibnet.tenancy.context import all_tenants

    today = world.jelgava.today()
    tenants = [world.jelgava, world.pasvalys]
    assert all(tenant.timezone for tenant in tenants)  # loaded before counting
    statements = []
    from bibnet.tenancy import rls

    def note(conn, cursor, statement, *rest):
        if statement != rls.SET_SCOPE_SQL:  # row-level security settings come with a change of scope, not with the data read
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        with all_tenants(reason="test: figures of two tenants"):
            figures.compute([SESSIONS_HELD], [world.jelgava], today - timedelta(days=30), today)
            one = len(statements)
            figures.compute([SESSIONS_HELD], tenants, today - timedelta(days=30), today)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert len(statements) - one == one == 1, statements


def test_the_programme_list_runs_the_same_statements_for_2_or_30_programmes(world, client, count_queries):
    with tenant_scope(world.jelgava):
        for number in range(2):
            session_at(make_programme(world, capacity=5, title={"en": f"Club {number}"}), world.jelgava.today() + timedelta(days=number + 1))
    log_in(client, "staff@jelgava.example")
    client.get("/t/jelgava/programmes/")
    with count_queries() as few:
        assert client.get("/t/jelgava/programmes/").status_code == 200
    with tenant_scope(world.jelgava):
        for number in range(28):
            session_at(make_programme(world, capacity=5, title={"en": f"Class {number}"}), world.jelgava.today() + timedelta(days=number + 3))
    with count_queries() as many:
        page = client.get("/t/jelgava/programmes/?per_page=50")
    assert page.status_code == 200 and "Class 27" in page.get_data(as_text=True)
    assert many.n == few.n <= 8, many.statements
