"""Usage figures per room and month: what counts as held, booked and missed, hours against open hours, visitors."""
from datetime import UTC, date, time
from decimal import Decimal

from usage_sessions import BOOKED_ON, MARCH, session

from bibnet.extensions import db
from bibnet.figures import SMALL_COUNT
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Country
from bibnet.tenants.bookings import services
from bibnet.tenants.rooms.models import Closure, OpeningHours
from bibnet.tenants.usage import figures
from bibnet.tenants.usage.figures import MEASURES, Measures, Period, hours, percent


def usage_of(tenant, period: Period | None = None):
    with tenant_scope(tenant):
        return figures.tenant_usage(tenant, period or Period.year(2025))


def measure(key):
    return next(m for m in MEASURES if m.key == key)



class TestSessions:
    def test_held_booked_and_missed_sessions_hours_and_visitors_of_a_month(self, world, room, make_room):
        def jelgava_session(day, start, end, **kwargs):
            return session(world.jelgava, room, world.staff, day, start, end, **kwargs)

        jelgava_session(date(2025, 3, 3), time(10), time(11, 30), attended={"seniors": 2, "visual": 1, "carers": 1})
        jelgava_session(date(2025, 3, 4), time(10), time(11, 30), attended={"seniors": 2, "carers": 1})
        jelgava_session(date(2025, 3, 5), time(10), time(11), no_show=True)
        jelgava_session(date(2025, 3, 6), time(10), time(11))  # confirmed, attendance not recorded yet
        cancelled = jelgava_session(date(2025, 3, 7), time(10), time(11))
        with tenant_scope(world.jelgava):
            services.cancel([cancelled], now=BOOKED_ON)
            db.session.commit()
        jelgava_session(date(2025, 4, 1), time(10), time(11), attended={"hearing": 3})
        other_room = make_room(world.jelgava, "Quiet corner")
        session(world.jelgava, other_room, world.staff, date(2025, 3, 3), time(10), time(11), attended={"other": 1})
        theirs = make_room(world.pasvalys, "Their room")
        session(world.pasvalys, theirs, world.other_staff, date(2025, 3, 3), time(10), time(11), attended={"seniors": 5})

        usage = usage_of(world.jelgava)

        assert [r.name for r in usage.rooms] == ["Quiet corner", "Sensory room"]
        march = usage.rooms[1].months[MARCH].measures
        assert (march.sessions_held, march.sessions_booked, march.no_shows) == (2, 4, 1)
        assert march.no_show_rate == Decimal("33.3")  # 1 of the 3 sessions that are over
        assert march.hours_booked == Decimal("5.0")  # 90 + 90 + 60 + 60 minutes; the cancelled one is free again
        assert march.visitors == {"seniors": 4, "physical": 0, "psychosocial": 0, "intellectual": 0, "visual": 1, "hearing": 0, "other": 0, "carers": 2}
        assert march.visitors_total == 5  # carers are counted apart
        assert usage.rooms[1].months[MARCH + 1].measures.visitors["hearing"] == 3
        assert usage.rooms[1].total.sessions_held == 3
        assert usage.months[MARCH].measures.sessions_held == 3  # both rooms
        assert usage.total.visitors_total == 9

    def test_requests_do_not_count_until_confirmed(self, world, make_room):
        room = make_room(world.jelgava, "Approval room", needs_approval=True)
        session(world.jelgava, room, world.staff, date(2025, 3, 3), time(10), time(11), confirm=False)
        march = usage_of(world.jelgava).rooms[0].months[MARCH].measures
        assert (march.sessions_booked, march.minutes_booked) == (0, 0)

    def test_a_session_at_half_past_midnight_on_the_first_counts_in_that_month(self, world, room):
        with tenant_scope(world.jelgava):
            db.session.add(OpeningHours(room_id=room.id, weekday=5, opens=time(0), closes=time(2)))  # 1 March 2025 is a Saturday
            db.session.commit()
        occurrence = session(world.jelgava, room, world.staff, date(2025, 3, 1), time(0, 30), time(1, 30), attended={"seniors": 1})
        assert occurrence.starts_at.astimezone(UTC).date() == date(2025, 2, 28)  # still February in UTC

        months = usage_of(world.jelgava).rooms[0].months
        assert months[MARCH].measures.sessions_held == 1
        assert months[MARCH - 1].measures.sessions_held == 0

    def test_a_period_of_some_days_has_partial_months(self, world, room):
        session(world.jelgava, room, world.staff, date(2025, 3, 28), time(10), time(11), attended={"seniors": 1})
        session(world.jelgava, room, world.staff, date(2025, 4, 2), time(10), time(11), attended={"seniors": 1})
        usage = usage_of(world.jelgava, Period(date(2025, 3, 30), date(2025, 4, 30)))
        assert [(m.first, m.last) for m in usage.months] == [(date(2025, 3, 30), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 4, 30))]
        assert [m.measures.sessions_held for m in usage.months] == [0, 1]


class TestOpenHours:
    def test_are_the_weekly_hours_over_the_month_less_closures(self, world, room):
        # March 2025: 21 weekdays of 9 hours and 5 Saturdays of 4 hours.
        assert usage_of(world.jelgava).rooms[0].months[MARCH].measures.open_hours == Decimal("209.0")
        with tenant_scope(world.jelgava):
            db.session.add(Closure(room_id=room.id, starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 11), reason="Repairs"))  # Mon, Tue
            db.session.add(Closure(starts_on=date(2025, 3, 15), ends_on=date(2025, 3, 16), reason="Holiday"))  # every room, Sat and Sun
            db.session.commit()
        assert usage_of(world.jelgava).rooms[0].months[MARCH].measures.open_hours == Decimal("187.0")  # 209 - 2 × 9 - 4

    def test_give_the_utilisation(self, world, room):
        session(world.jelgava, room, world.staff, date(2025, 3, 3), time(10), time(13), attended={"seniors": 1})
        march = usage_of(world.jelgava).rooms[0].months[MARCH].measures
        assert march.utilisation == Decimal("1.4")  # 3 of 209 hours is 1.435...%

    def test_a_month_without_opening_hours_has_no_utilisation(self, world, room):
        with tenant_scope(world.jelgava):
            db.session.add(Closure(starts_on=date(2025, 2, 1), ends_on=date(2025, 2, 28), reason="Renovation"))
            db.session.commit()
        february = usage_of(world.jelgava).rooms[0].months[MARCH - 1].measures
        assert february.open_minutes == 0 and february.utilisation is None


class TestRounding:
    def test_hours_and_percentages_round_half_up_to_one_decimal(self):
        assert hours(15) == Decimal("0.3")  # 0.25 h: half up, not to even
        assert hours(3) == Decimal("0.1")  # 0.05 h
        assert percent(1, 16) == Decimal("6.3")  # 6.25 %
        assert percent(1, 3) == Decimal("33.3")
        assert percent(2, 3) == Decimal("66.7")
        assert percent(0, 0) is None

    def test_no_show_rate_is_among_sessions_that_are_over(self):
        assert Measures(sessions_held=7, sessions_booked=9, no_shows=1).no_show_rate == Decimal("12.5")
        assert Measures(sessions_booked=3).no_show_rate is None


class TestSmallCounts:
    def test_across_tenants_counts_from_1_to_4_show_as_less_than_5(self):
        measures = Measures(sessions_held=4, sessions_booked=5, no_shows=0, visitors={**Measures().visitors, "seniors": 1, "carers": 12})
        shown = {m.key: measures.shown(m, across_tenants=True) for m in MEASURES}
        assert shown["sessions_held"] == SMALL_COUNT
        assert shown["sessions_booked"] == 5
        assert shown["no_shows"] == 0  # 0 stays 0
        assert shown["seniors"] == SMALL_COUNT and shown["carers"] == 12 and shown["visual"] == 0
        assert shown["visitors_total"] == SMALL_COUNT

    def test_a_no_show_rate_that_would_reveal_a_small_count_is_withheld(self):
        measures = Measures(sessions_held=10, sessions_booked=12, no_shows=2)
        assert measures.shown(measure("no_show_rate"), across_tenants=True) is None
        assert measures.shown(measure("no_show_rate"), across_tenants=False) == Decimal("16.7")
        assert measures.shown(measure("no_shows"), across_tenants=False) == 2

    def test_within_a_tenant_nothing_is_hidden(self):
        assert Measures(sessions_held=1).shown(measure("sessions_held"), across_tenants=False) == 1


class TestProjectFigures:
    def test_each_partner_is_summed_over_its_rooms_with_months_in_its_own_time_zone(self, world, make_tenant, make_room, make_user, make_project):
        london = make_tenant("london", "London Borough", Country.LV, "en", "Europe/London")
        london_staff = make_user("staff@london.example", "London Staff", london)
        project = make_project([world.jelgava, london], lead_user=world.lead, acronym="TwoZones")
        riga_room, london_room = make_room(world.jelgava), make_room(london)
        for zone_room, tenant, _staff in ((riga_room, world.jelgava, world.staff), (london_room, london, london_staff)):
            with tenant_scope(tenant):
                db.session.add(OpeningHours(room_id=zone_room.id, weekday=4, opens=time(22), closes=time(23, 59)))  # Friday night
                db.session.add(OpeningHours(room_id=zone_room.id, weekday=5, opens=time(0), closes=time(2)))  # Saturday night
                db.session.commit()
        # The same UTC instant, 28 February 22:30: 00:30 on 1 March in Riga, still 28 February in London.
        riga = session(world.jelgava, riga_room, world.staff, date(2025, 3, 1), time(0, 30), time(1, 30), attended={"seniors": 6})
        london_session = session(london, london_room, london_staff, date(2025, 2, 28), time(22, 30), time(23, 30), attended={"seniors": 7})
        assert riga.starts_at == london_session.starts_at
        session(world.jelgava, make_room(world.jelgava, "Second room"), world.staff, date(2025, 3, 3), time(10), time(11), attended={"seniors": 2})

        usage = figures.project_usage(project, Period.year(2025))

        jelgava, london_partner = usage.partners
        assert (jelgava.code, jelgava.tenant_name, london_partner.code) == ("LP1", "Jelgava Municipality", "PP2")
        assert jelgava.months[MARCH].measures.visitors["seniors"] == 8  # both Jelgava rooms
        assert jelgava.months[MARCH - 1].measures.sessions_held == 0
        assert london_partner.months[MARCH - 1].measures.visitors["seniors"] == 7
        assert london_partner.months[MARCH].measures.sessions_held == 0
        assert usage.total.visitors["seniors"] == 15


def test_the_figures_take_four_queries_whatever_the_number_of_rooms(world, make_room, count_queries):
    make_room(world.jelgava)
    assert world.jelgava.timezone  # the tenant is loaded before counting, as in a request
    with count_queries() as one_room:
        usage_of(world.jelgava)
    for number in range(4):
        room = make_room(world.jelgava, f"Room {number}")
        session(world.jelgava, room, world.staff, date(2025, 3, 3), time(10), time(11), attended={"seniors": 1})
    assert world.jelgava.timezone
    with count_queries() as five_rooms:
        usage = usage_of(world.jelgava)
    assert len(usage.rooms) == 5
    assert one_room.n == five_rooms.n == 4, five_rooms.statements


def test_a_closure_of_millennia_costs_no_more_than_the_year_it_covers(world, room, client, count_queries, monkeypatch):
    """0001-01-01 to 9999-12-31 was once accepted, and the figures walked it day by day (the usage API took
    16 s). It is refused now (tests/rooms); one stored before is clipped to the year the figures cover."""
    from datetime import timedelta

    from bibnet.accounts.services import issue_api_token

    from conftest import log_in

    with tenant_scope(world.jelgava):  # stored past the API's and the pages' date bounds, as the old API stored it
        db.session.add(Closure(room_id=None, starts_on=date(1, 1, 1), ends_on=date(9999, 12, 31), reason="Forever"))
        db.session.commit()
    days_computed = 0

    def counted(*args, **kwargs):
        nonlocal days_computed
        days_computed += 1
        assert days_computed < 10_000, "the figures walk the closure day by day"
        return timedelta(*args, **kwargs)

    monkeypatch.setattr(figures, "timedelta", counted)
    assert usage_of(world.jelgava).rooms[0].months[MARCH].measures.open_hours == Decimal("0.0")
    secret = issue_api_token(world.coordinator, "usage")
    db.session.commit()
    with count_queries() as api:
        response = client.get("/api/v1/tenants/jelgava/usage?year=2025", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["total"]["open_hours"] == "0.0"
    assert api.n <= 10, api.statements
    log_in(client, world.lead.email)
    assert client.get(f"/projects/{world.project.id}/usage?year=2025").status_code == 200
    assert client.get("/t/jelgava/").status_code == 200
