"""Home visits: scheduled for a borrower, a day and a part of it, by a staff member or a volunteer; logged once
as held or missed; counted as services at home per target group, even after the borrower is erased."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet import figures
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits import services
from bibnet.tenants.home_visits.figures import HELD, SERVED_TOTAL, served_key
from bibnet.tenants.home_visits.home import send_reminders
from bibnet.tenants.home_visits.models import Direction, HomeVisit, HomeVisitItem, PartOfDay, VisitStatus
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item
from bibnet.tenants.lending.models import Borrower

from conftest import csrf_token, log_in, take_delivered_mail


def make_borrower(name="Anna Bērziņa", **fields) -> Borrower:
    fields.setdefault("phone", "+371 2000 0001")
    fields.setdefault("address", "Lielā iela 10, Jelgava")
    borrower = Borrower(name=name, consent_on=date(2026, 1, 5), **fields)
    db.session.add(borrower)
    db.session.flush()
    return borrower


def make_player(name="DAISY player") -> Item:
    ensure_shared_categories()
    category = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
    return inventory.register(Item(name=name, category=category, cost=Decimal("289.00")))


def today(world) -> date:
    return world.jelgava.today()


def scheduled(world, borrower, day=None, **fields) -> HomeVisit:
    fields.setdefault("staff_id", world.staff.id)
    return services.schedule(services.VisitInput(borrower_id=borrower.id, visit_on=day or today(world), part_of_day=fields.pop("part_of_day", PartOfDay.MORNING), **fields))


def test_a_visit_is_scheduled_for_a_staff_member_or_a_volunteer(world, in_jelgava):
    borrower = make_borrower()
    by_staff = scheduled(world, borrower)
    by_volunteer = scheduled(world, borrower, staff_id=None, volunteer_name="Līga (volunteer)", part_of_day=PartOfDay.EVENING)
    assert (by_staff.status, by_staff.staff_id) == (VisitStatus.SCHEDULED, world.staff.id)
    assert (by_volunteer.staff_id, by_volunteer.volunteer_name) == (None, "Līga (volunteer)")


@pytest.mark.parametrize(("fields", "field"), [
    ({"staff_id": None}, "staff_id"),  # nobody visits
    ({"volunteer_name": "Līga"}, "volunteer_name"),  # both a staff member and a volunteer
    ({"day_offset": -1}, "visit_on"),  # in the past
])
def test_a_visit_without_a_visitor_or_in_the_past_is_refused_and_nothing_is_written(world, in_jelgava, fields, field):
    borrower = make_borrower()
    fields = dict(fields)  # the parameters are shared by the SQLite and PostgreSQL runs
    day = today(world) + timedelta(days=fields.pop("day_offset", 0))
    with pytest.raises(Refused) as refusal:
        scheduled(world, borrower, day=day, **fields)
    assert field in refusal.value.errors
    assert db.session.scalar(sa.select(sa.func.count(HomeVisit.id))) == 0


def test_another_tenants_staff_member_or_borrower_cannot_be_chosen(world):
    with tenant_scope(world.pasvalys):
        theirs = make_borrower("Ona Petraitienė")
        db.session.commit()
    with tenant_scope(world.jelgava):
        ours = make_borrower()
        with pytest.raises(Refused) as refusal:
            scheduled(world, ours, staff_id=world.other_staff.id)
        assert "staff_id" in refusal.value.errors
        with pytest.raises(Refused) as refusal:
            services.schedule(services.VisitInput(borrower_id=theirs.id, visit_on=today(world), part_of_day=PartOfDay.MORNING, staff_id=world.staff.id))
        assert "borrower_id" in refusal.value.errors


def test_a_held_visit_keeps_what_went_out_and_came_back_and_counts_the_people_served(world, in_jelgava):
    visit = scheduled(world, make_borrower())
    player, old_player = make_player(), make_player("Old DAISY player")
    services.log(visit, services.VisitLog(
        held=True, device_checked=True, outcome="Player works", taken_tags=[player.tag], returned_tags=[old_player.tag.lower()],
        taken_note="3 books", served={"seniors": 1, "visual": 1},
    ))
    db.session.commit()
    rows = db.session.execute(sa.select(HomeVisitItem.item_id, HomeVisitItem.direction).order_by(HomeVisitItem.direction)).all()
    assert sorted(rows) == sorted([(old_player.id, Direction.BACK), (player.id, Direction.OUT)])
    assert (visit.status, visit.device_checked, visit.outcome, visit.served["seniors"], visit.served["visual"]) == (VisitStatus.HELD, True, "Player works", 1, 1)


def test_an_unknown_tag_refuses_the_whole_log(world, in_jelgava):
    visit = scheduled(world, make_borrower())
    db.session.commit()
    with pytest.raises(Refused) as refusal:
        services.log(visit, services.VisitLog(held=True, taken_tags=["BN-99999"], served={"seniors": 1}))
    assert "BN-99999" in str(refusal.value.errors["taken_tags"][0])
    db.session.rollback()
    assert db.session.get(HomeVisit, visit.id).status is VisitStatus.SCHEDULED


def test_a_held_visit_counts_someone_and_a_visit_is_logged_once(world, in_jelgava):
    visit = scheduled(world, make_borrower())
    with pytest.raises(Refused) as refusal:
        services.log(visit, services.VisitLog(held=True))
    assert "served" in refusal.value.errors
    services.log(visit, services.VisitLog(held=False, outcome="Nobody at home"))
    with pytest.raises(Refused) as refusal:
        services.log(visit, services.VisitLog(held=False))
    assert refusal.value.status == 409


def test_a_visit_of_a_later_day_cannot_be_logged_yet(world, in_jelgava):
    visit = scheduled(world, make_borrower(), day=today(world) + timedelta(days=2))
    with pytest.raises(Refused) as refusal:
        services.log(visit, services.VisitLog(held=True, served={"seniors": 1}))
    assert "held" in refusal.value.errors


def test_held_visits_count_as_services_at_home_per_target_group_even_after_the_borrower_is_erased(world):
    with tenant_scope(world.jelgava):
        borrower = make_borrower()
        for held in (True, False):
            services.log(scheduled(world, borrower), services.VisitLog(held=held, served={"seniors": 2, "hearing": 1} if held else {}))
        borrower.erased_at, borrower.name, borrower.phone, borrower.address = utcnow(), "", "", ""
        db.session.commit()
        day = today(world)
        table = figures.compute([HELD, SERVED_TOTAL, served_key(TargetGroup.SENIORS), served_key(TargetGroup.HEARING)], [world.jelgava], day, day)
    assert table.value(world.jelgava.id, HELD) == 1  # the missed visit is no service
    assert table.value(world.jelgava.id, served_key(TargetGroup.SENIORS)) == 2
    assert table.value(world.jelgava.id, SERVED_TOTAL) == 3


def test_each_staff_member_gets_tomorrows_visits_in_one_mail(app, world):
    with tenant_scope(world.jelgava):
        tomorrow = today(world) + timedelta(days=1)
        scheduled(world, make_borrower(), day=tomorrow, part_of_day=PartOfDay.AFTERNOON)
        scheduled(world, make_borrower("Jānis Kalniņš", address="Pasta iela 7"), day=tomorrow)
        scheduled(world, make_borrower("Volunteer's borrower"), day=tomorrow, staff_id=None, volunteer_name="Līga")
        db.session.commit()
    assert send_reminders() == 1
    mails = take_delivered_mail(app)
    assert [mail["To"] for mail in mails] == ["staff@jelgava.example"]
    body = mails[0].get_content()
    assert body.index("Jānis Kalniņš") < body.index("Anna Bērziņa")  # the morning first


def test_the_schedule_page_lists_each_visitors_route_and_a_bad_log_form_writes_nothing(world, client, in_jelgava):
    visit = scheduled(world, make_borrower())
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    page = client.get(f"/t/jelgava/home-visits/?staff={world.staff.id}")
    assert page.status_code == 200 and "Anna Bērziņa" in page.get_data(as_text=True)
    token = csrf_token(client.get(f"/t/jelgava/home-visits/{visit.id}/log").get_data(as_text=True))
    refused = client.post(f"/t/jelgava/home-visits/{visit.id}/log", data={"csrf_token": token, "held": "held", "taken_tags": "BN-77777", "served_seniors": "1"})
    assert refused.status_code == 422
    assert "BN-77777" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HomeVisit, visit.id).status is VisitStatus.SCHEDULED
    saved = client.post(f"/t/jelgava/home-visits/{visit.id}/log", data={"csrf_token": token, "held": "missed", "outcome": "Nobody at home"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(HomeVisit, visit.id).status is VisitStatus.MISSED


def test_the_api_schedules_and_logs_a_visit_and_refuses_bad_counts(world, client, in_jelgava):
    from bibnet.accounts.services import issue_api_token

    borrower = make_borrower()
    secret = issue_api_token(world.staff, "mine")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    created = client.post("/api/v1/tenants/jelgava/home-visits", headers=headers, json={"borrower_id": borrower.id, "visit_on": today(world).isoformat(), "part_of_day": "morning", "staff_id": world.staff.id})
    assert created.status_code == 201, created.get_json()
    visit_id = created.get_json()["id"]
    refused = client.post(f"/api/v1/tenants/jelgava/home-visits/{visit_id}/log", headers=headers, json={"held": True, "served": {"seniors": -1}})
    assert refused.status_code == 422
    logged = client.post(f"/api/v1/tenants/jelgava/home-visits/{visit_id}/log", headers=headers, json={"held": True, "served": {"seniors": 1}, "device_checked": False})
    assert logged.status_code == 200 and logged.get_json()["status"] == "held"


def test_a_borrower_number_no_id_can_hold_is_refused_like_an_unknown_one(world, client, in_jelgava):
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    token = csrf_token(client.get("/t/jelgava/home-visits/new").get_data(as_text=True))
    response = client.post("/t/jelgava/home-visits/new", data={"csrf_token": token, "borrower_id": "99999999999", "visit_on": today(world).isoformat(), "part_of_day": "morning", "staff_id": str(world.staff.id)})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(HomeVisit.id))) == 0


@pytest.mark.parametrize(("held", "checked", "seen"), [(True, True, True), (True, False, False), (False, False, False)])
def test_a_visit_where_the_device_was_checked_ends_the_use_it_or_return_it_flag(world, in_jelgava, held, checked, seen):
    from bibnet.tenants.lending import overdue
    from bibnet.tenants.lending import services as lending

    borrower = make_borrower()
    loan = lending.lend(lending.LoanInput(item_id=make_player().id, borrower_id=borrower.id, due_on=today(world) + timedelta(days=200), target_group="visual", acceptance_signed_on=today(world)), by=world.staff)
    loan.last_seen_on = today(world) - timedelta(days=150)
    assert overdue.is_idle(loan, today(world))
    services.log(scheduled(world, borrower), services.VisitLog(held=held, device_checked=checked, served={"visual": 1} if held else {}))
    assert (loan.last_seen_on == today(world)) is seen
    assert overdue.is_idle(loan, today(world)) is not seen


def test_a_borrower_visited_at_home_within_the_retention_period_keeps_their_details(app, world, in_jelgava):
    from bibnet.tenants.lending import privacy

    visited, forgotten = make_borrower(), make_borrower("Forgotten")
    scheduled(world, visited)
    for borrower in (visited, forgotten):
        borrower.created_at = utcnow() - timedelta(days=app.config["LENDING_BORROWER_RETENTION_DAYS"] + 2)
    db.session.commit()
    assert privacy.erase_borrowers(utcnow()) == 1
    assert (visited.erased_at, forgotten.erased_at is not None) == (None, True)
