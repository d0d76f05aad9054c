"""Services at home and remote: logged with a day, a staff member, the people served per target group (counts
only) and one line of note; listed by month and kind; counted per month, per kind and per target group, held
home visits included; and who needs the services: the latest estimate per group gives the reach as a share."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bibnet import figures
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.models import HomeVisit, PartOfDay, VisitStatus
from bibnet.tenants.lending.models import Borrower
from bibnet.tenants.outreach import figures as outreach_figures
from bibnet.tenants.outreach import services
from bibnet.tenants.outreach.figures import SERVED_TOTAL, SERVICES_TOTAL, served_key, services_key
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeSession

from conftest import csrf_token, log_in


def today(world) -> date:
    return world.jelgava.today()


def logged(world, kind=ServiceKind.HOME_DELIVERY, day=None, served=None, **fields) -> OutreachService:
    return services.log_service(services.ServiceInput(
        kind=kind, given_on=day or today(world), staff_id=fields.pop("staff_id", world.staff.id), served={"seniors": 2} if served is None else served, **fields,
    ))


def held_visit(day, **served) -> HomeVisit:
    borrower = Borrower(name="Anna Bērziņa", phone="+371 2000 0001", consent_on=date(2026, 1, 5))
    db.session.add(borrower)
    db.session.flush()
    visit = HomeVisit(borrower_id=borrower.id, visit_on=day, part_of_day=PartOfDay.MORNING, volunteer_name="Līga", status=VisitStatus.HELD, **{f"served_{group}": count for group, count in served.items()})
    db.session.add(visit)
    db.session.flush()
    return visit


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TestTheLog:
    def test_a_service_is_logged_with_its_day_staff_member_counts_and_note(self, world, in_jelgava):
        service = logged(world, ServiceKind.PHONE, served={"seniors": 1, "visual": 2}, note="  Audiobook search  ")
        assert (service.kind, service.staff_id, service.note, service.served_total) == (ServiceKind.PHONE, world.staff.id, "Audiobook search", 3)
        assert service.served["visual"] == 2 and service.served["hearing"] == 0

    @pytest.mark.parametrize(("fields", "field"), [
        ({"served": {"seniors": -1}}, "served.seniors"),  # a negative count
        ({"served": {"seniors": 1001}}, "served.seniors"),
        ({"served": {"martians": 1}}, "served.martians"),
        ({"served": {}}, "served"),  # nobody served
        ({"day_offset": 1}, "given_on"),  # in the future
        ({"staff_id": None}, "staff_id"),
        ({"note": "one\nand two"}, "note"),  # one line only
        ({"note": "x" * 301}, "note"),
    ])
    def test_bad_input_is_refused_with_a_field_error_and_nothing_is_written(self, world, in_jelgava, fields, field):
        fields = dict(fields)
        day = today(world) + timedelta(days=fields.pop("day_offset", 0))
        with pytest.raises(Refused) as refusal:
            logged(world, day=day, **fields)
        assert field in refusal.value.errors
        assert count(OutreachService) == 0

    def test_another_libraries_staff_member_cannot_be_named(self, world, in_jelgava):
        with pytest.raises(Refused) as refusal:
            logged(world, staff_id=world.other_staff.id)
        assert "staff_id" in refusal.value.errors

    def test_the_database_refuses_a_negative_count_too(self, world, in_jelgava):
        db.session.add(OutreachService(kind=ServiceKind.PHONE, given_on=today(world), staff_id=world.staff.id, served_seniors=-1))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


class TestFigures:
    def test_services_per_kind_and_people_per_group_include_held_home_visits(self, world, in_jelgava):
        day = today(world)
        logged(world, ServiceKind.HOME_DELIVERY, day, {"seniors": 3, "visual": 1})
        logged(world, ServiceKind.HOME_DELIVERY, day, {"seniors": 1})
        logged(world, ServiceKind.PHONE, day, {"hearing": 1})
        logged(world, ServiceKind.PHONE, day.replace(year=day.year - 1), {"hearing": 5})  # another year
        held_visit(day, seniors=1)
        missed = held_visit(day, seniors=4)
        missed.status = VisitStatus.MISSED
        db.session.commit()
        first, last = day.replace(month=1, day=1), day.replace(month=12, day=31)
        table = figures.compute(None, [world.jelgava], first, last)
        assert table.value(world.jelgava.id, services_key(ServiceKind.HOME_DELIVERY)) == 2
        assert table.value(world.jelgava.id, services_key(ServiceKind.PHONE)) == 1
        assert table.value(world.jelgava.id, services_key(ServiceKind.VIDEO)) == 0
        assert table.value(world.jelgava.id, SERVICES_TOTAL) == 4  # three logged and one held visit
        assert table.value(world.jelgava.id, served_key(TargetGroup.SENIORS)) == 5
        assert table.value(world.jelgava.id, SERVED_TOTAL) == 7

    def test_the_figures_run_one_query_whatever_the_number_of_tenants(self, world, count_queries, app):
        tenants = [world.jelgava, world.pasvalys]
        assert [tenant.id for tenant in tenants]  # loaded before counting
        with partners_of(world.project, reason="the figures of both partners"), count_queries() as counted:
            outreach_figures.SOURCE.compute(tenants, date(2026, 1, 1), date(2026, 12, 31))
        assert counted.n == 1

    def test_monthly_figures_per_kind_and_target_group(self, world, in_jelgava):
        day = today(world)
        logged(world, ServiceKind.TALKING_BOOKS, day, {"visual": 2})
        held_visit(day, seniors=1)
        db.session.commit()
        month = outreach_figures.monthly(day.year)[day.month - 1]
        assert month.by_kind == {"talking_books": 1, "home_visit": 1}
        assert (month.services, month.people, month.served["visual"], month.served["seniors"]) == (2, 3, 2, 1)


class TestNeeds:
    def test_the_latest_estimate_per_group_gives_the_reach_as_a_share(self, world, in_jelgava):
        day = today(world)
        services.record_need(services.NeedInput(TargetGroup.SENIORS, 1000, "Statistics office", day - timedelta(days=400)))
        services.record_need(services.NeedInput(TargetGroup.SENIORS, 200, "Social services' list", day - timedelta(days=10)))
        logged(world, ServiceKind.HOME_DELIVERY, day, {"seniors": 40})
        programme = Programme(kind=ProgrammeKind.CLUB, title={"en": "Club"})
        db.session.add(programme)
        db.session.flush()
        starts = datetime.combine(day, time(10), ZoneInfo("Europe/Riga"))
        db.session.add(ProgrammeSession(programme_id=programme.id, starts_at=starts, ends_at=starts + timedelta(hours=1), place=Place.ADDRESS, address="Lielā iela 1", attended_seniors=10))
        db.session.commit()
        seniors, physical = outreach_figures.reach(world.jelgava, day.year)[:2]
        assert (seniors.estimate.people, seniors.estimate.source) == (200, "Social services' list")
        assert (seniors.served, seniors.participants, seniors.share(seniors.served), seniors.share(seniors.participants)) == (40, 10, 0.2, 0.05)
        assert physical.estimate is None and physical.share(0) is None

    @pytest.mark.parametrize(("fields", "field"), [
        ({"people": -1}, "people"),
        ({"people": None}, "people"),
        ({"source": " "}, "source"),
        ({"day_offset": 1}, "estimated_on"),
    ])
    def test_bad_estimates_are_refused_and_nothing_is_written(self, world, in_jelgava, fields, field):
        fields = dict(fields)
        day = today(world) + timedelta(days=fields.pop("day_offset", 0))
        data = {"target_group": TargetGroup.VISUAL, "people": 300, "source": "Social services", "estimated_on": day} | fields
        with pytest.raises(Refused) as refusal:
            services.record_need(services.NeedInput(**data))
        assert field in refusal.value.errors
        assert count(NeedEstimate) == 0

    def test_a_second_estimate_for_a_group_on_the_same_day_is_refused(self, world, in_jelgava):
        services.record_need(services.NeedInput(TargetGroup.VISUAL, 300, "Social services", today(world)))
        with pytest.raises(Refused) as refusal:
            services.record_need(services.NeedInput(TargetGroup.VISUAL, 310, "Statistics", today(world)))
        assert "estimated_on" in refusal.value.errors


def _post(client, url, data):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


class TestPages:
    def test_staff_log_a_service_and_find_it_by_month_and_kind(self, world, client):
        log_in(client, "staff@jelgava.example")
        day = today(world)
        response = _post(client, "/t/jelgava/outreach/new", {"kind": "video", "given_on": str(day), "staff_id": str(world.staff.id), "served_hearing": "2", "note": "Video call: e-books"})
        assert response.status_code == 302
        assert "Video call: e-books" in client.get(f"/t/jelgava/outreach/?month={day:%Y-%m}&kind=video").get_data(as_text=True)
        assert "Video call: e-books" not in client.get("/t/jelgava/outreach/?kind=phone").get_data(as_text=True)

    @pytest.mark.parametrize(("data", "field_id"), [
        ({"served_seniors": "-3"}, "served_seniors"),
        ({"served_seniors": "three"}, "served_seniors"),
        ({"given_on": "31.02.2026"}, "given_on"),
    ])
    def test_bad_input_on_the_form_shows_a_field_error_and_writes_nothing(self, world, client, data, field_id):
        log_in(client, "staff@jelgava.example")
        form = {"kind": "phone", "given_on": str(today(world)), "staff_id": str(world.staff.id), "served_seniors": "1"} | data
        response = _post(client, "/t/jelgava/outreach/new", form)
        assert response.status_code == 422
        assert f'id="{field_id}-error"' in response.get_data(as_text=True)
        with tenant_scope(world.jelgava):
            assert count(OutreachService) == 0

    def test_nobody_served_is_refused_on_the_form(self, world, client):
        log_in(client, "staff@jelgava.example")
        response = _post(client, "/t/jelgava/outreach/new", {"kind": "phone", "given_on": str(today(world)), "staff_id": str(world.staff.id)})
        assert response.status_code == 422 and "Count the people served" in response.get_data(as_text=True)

    def test_a_bad_month_or_kind_filter_is_refused_with_a_message(self, world, client):
        log_in(client, "staff@jelgava.example")
        assert client.get("/t/jelgava/outreach/?month=2026-13").status_code == 422
        assert client.get("/t/jelgava/outreach/?kind=telepathy").status_code == 422
        assert client.get("/t/jelgava/outreach/figures?year=20266").status_code == 422

    def test_the_log_runs_the_same_number_of_statements_for_few_or_many_services(self, world, client, count_queries):
        def add(number):
            with tenant_scope(world.jelgava):
                for _ in range(number):
                    logged(world)
                db.session.commit()

        log_in(client, "staff@jelgava.example")
        add(1)
        with count_queries() as few:
            assert client.get("/t/jelgava/outreach/").status_code == 200
        add(30)
        with count_queries() as many:
            assert client.get("/t/jelgava/outreach/").status_code == 200
        assert many.n == few.n <= 10, many.statements

    def test_the_figures_and_needs_pages_show_the_year(self, world, client):
        with tenant_scope(world.jelgava):
            logged(world, ServiceKind.INTERLIBRARY_LOAN, served={"other": 4})
            services.record_need(services.NeedInput(TargetGroup.OTHER, 40, "Social services", today(world)))
            db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        assert client.get("/t/jelgava/outreach/figures").status_code == 200
        needs = client.get("/t/jelgava/outreach/needs").get_data(as_text=True)
        assert "10.0%" in needs  # 4 served of 40 who may need the services
        assert _post(client, "/t/jelgava/outreach/needs/new", {"target_group": "visual", "people": "-5", "source": "x", "estimated_on": str(today(world))}).status_code == 422


class TestApi:
    def test_services_and_needs_through_the_api(self, world, client):
        secret = issue_api_token(world.staff, "mine")
        db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        day = str(today(world))
        created = client.post("/api/v1/tenants/jelgava/outreach-services", json={"kind": "email", "given_on": day, "staff_id": world.staff.id, "served": {"seniors": 1}}, headers=headers)
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["served"]["seniors"] == 1
        negative = client.post("/api/v1/tenants/jelgava/outreach-services", json={"kind": "email", "given_on": day, "staff_id": world.staff.id, "served": {"seniors": -1}}, headers=headers)
        assert negative.status_code == 422
        assert client.get(f"/api/v1/tenants/jelgava/outreach-services?month={day[:7]}&kind=email", headers=headers).get_json()["total"] == 1
        need = client.post("/api/v1/tenants/jelgava/needs", json={"target_group": "visual", "people": 620, "source": "Social services", "estimated_on": day}, headers=headers)
        assert need.status_code == 201 and client.get("/api/v1/tenants/jelgava/needs", headers=headers).get_json()["total"] == 1
        with tenant_scope(world.jelgava):
            assert count(OutreachService) == 1
