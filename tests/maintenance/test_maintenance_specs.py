"""Maintenance: schedules per item or category make tasks due; recording one closes it and makes the next due;
cleaning after each return comes from the item going to cleaning; items go to maintenance and back through the
one status service; coordinators get one digest, not a mail per item."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, ItemStatus
from bibnet.tenants.maintenance import services
from bibnet.tenants.maintenance.home import send_digests
from bibnet.tenants.maintenance.models import MaintenanceRecord, MaintenanceSchedule, MaintenanceTask

from conftest import csrf_token, log_in, take_delivered_mail


def category(key="sensory_equipment") -> Category:
    ensure_shared_categories()
    return db.session.scalar(sa.select(Category).where(Category.shared_key == key))


def make_item(name="Bubble tube", key="sensory_equipment") -> Item:
    return inventory.register(Item(name=name, category=category(key), cost=Decimal("2400.00")))


def open_tasks() -> list[tuple[int, date]]:
    return db.session.execute(sa.select(MaintenanceTask.item_id, MaintenanceTask.due_on).where(MaintenanceTask.done_on.is_(None)).order_by(MaintenanceTask.item_id)).all()


def safety_test(item, due_on, months=12) -> MaintenanceSchedule:
    return services.create_schedule(services.ScheduleInput(title="Electrical safety test", item_id=item.id, interval_months=months, first_due_on=due_on))


def test_a_recurring_schedule_makes_its_first_task_due_and_a_record_makes_the_next(world, in_jelgava):
    tube = make_item()
    safety_test(tube, date(2026, 3, 31))
    task = db.session.scalar(sa.select(MaintenanceTask))
    record = services.record(tube, services.RecordInput(done_on=date(2026, 4, 2), work="Tested, passed", cost=Decimal("45.00"), supplier="SIA Elektro", task_id=task.id))
    assert (task.done_on, record.next_due_on) == (date(2026, 4, 2), date(2027, 4, 2))
    assert open_tasks() == [(tube.id, date(2027, 4, 2))]


def test_a_category_schedule_covers_every_item_in_use_of_the_category(world, in_jelgava):
    tube, lights, lost = make_item(), make_item("Fibre-optic lights"), make_item("Old projector")
    inventory.change_status(lost, ItemStatus.LOST)
    make_item("Magnifier", key="reading_aids")
    services.create_schedule(services.ScheduleInput(title="Change the filters", category_id=tube.category_id, interval_months=1, first_due_on=date(2026, 5, 1)))
    assert open_tasks() == [(tube.id, date(2026, 5, 1)), (lights.id, date(2026, 5, 1))]


def test_cleaning_after_each_return_is_due_when_the_item_goes_to_cleaning_once(world, in_jelgava):
    player = make_item("DAISY player", key="reading_aids")
    services.create_schedule(services.ScheduleInput(title="Clean and disinfect", category_id=player.category_id))
    assert open_tasks() == []
    inventory.change_status(player, ItemStatus.ON_LOAN)
    inventory.change_status(player, ItemStatus.CLEANING)
    inventory.change_status(player, ItemStatus.ON_LOAN)
    inventory.change_status(player, ItemStatus.CLEANING)
    assert open_tasks() == [(player.id, world.jelgava.today())]


@pytest.mark.parametrize(("schedule", "field"), [
    ({"title": " "}, "title"),
    ({"item_id": None}, "item_id"),  # neither an item nor a category
    ({"interval_months": 0}, "interval_months"),
    ({"first_due_on": None}, "first_due_on"),
])
def test_a_schedule_with_bad_input_is_refused_and_nothing_is_written(world, in_jelgava, schedule, field):
    tube = make_item()
    data = {"title": "Safety test", "item_id": tube.id, "interval_months": 12, "first_due_on": date(2026, 3, 1)} | schedule
    with pytest.raises(Refused) as refusal:
        services.create_schedule(services.ScheduleInput(**data))
    assert field in refusal.value.errors
    assert db.session.scalar(sa.select(sa.func.count(MaintenanceSchedule.id))) == 0


def test_another_tenants_task_cannot_be_closed_by_a_record(world):
    with tenant_scope(world.pasvalys):
        theirs = make_item()
        safety_test(theirs, date(2026, 3, 1))
        db.session.commit()
        task_id = db.session.scalar(sa.select(MaintenanceTask.id))
    with tenant_scope(world.jelgava):
        ours = make_item()
        with pytest.raises(Refused) as refusal:
            services.record(ours, services.RecordInput(done_on=date(2026, 3, 1), work="Tested", task_id=task_id))
        assert "task_id" in refusal.value.errors


def test_an_item_goes_to_maintenance_and_back_through_the_status_service(world, in_jelgava, monkeypatch):
    heard = []
    monkeypatch.setattr(inventory, "_status_listeners", [lambda item, old, new: heard.append(new)])
    tube = make_item()
    services.send_to_maintenance(tube)
    with pytest.raises(Refused) as refusal:
        services.send_to_maintenance(tube)
    assert refusal.value.status == 409
    services.back_from_maintenance(tube)
    assert heard == [ItemStatus.MAINTENANCE, ItemStatus.AVAILABLE]


def test_coordinators_get_one_digest_of_everything_due(app, world):
    with tenant_scope(world.jelgava):
        yesterday = world.jelgava.today() - timedelta(days=1)
        for name in ("Bubble tube", "Projector", "Fibre-optic lights"):
            safety_test(make_item(name), yesterday)
        safety_test(make_item("Not due yet"), yesterday + timedelta(days=30))
        db.session.commit()
    assert send_digests() == 1
    mails = take_delivered_mail(app)
    assert [mail["To"] for mail in mails] == ["coordinator@jelgava.example"]
    body = mails[0].get_content()
    assert "Projector" in body and "Not due yet" not in body


def test_the_due_list_puts_overdue_first_and_a_bad_cost_writes_nothing(world, client, in_jelgava):
    tube, projector = make_item(), make_item("Projector")
    safety_test(projector, world.jelgava.today() + timedelta(days=3))
    safety_test(tube, world.jelgava.today() - timedelta(days=3))
    db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    page = client.get("/t/jelgava/maintenance/").get_data(as_text=True)
    assert page.index("Bubble tube") < page.index("Projector")
    url = f"/t/jelgava/maintenance/items/{tube.id}/records/new"
    token = csrf_token(client.get(url).get_data(as_text=True))
    refused = client.post(url, data={"csrf_token": token, "done_on": "2026-03-02", "work": "Tested", "cost": "45,005"})
    assert refused.status_code == 422 and "at most two decimals" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MaintenanceRecord.id))) == 0
    saved = client.post(url, data={"csrf_token": token, "done_on": "2026-03-02", "work": "Tested", "cost": "1 234,50"})
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(MaintenanceRecord.cost)) == Decimal("1234.50")


def test_the_item_page_section_shows_schedules_tasks_and_records_with_the_actions(app, world):
    """The register's item page includes `page_sections("inventory.item", item)`: rendered here as it would."""
    from flask import render_template_string
    from flask_login import login_user

    with tenant_scope(world.jelgava):
        tube = make_item()
        safety_test(tube, date(2026, 3, 1))
        services.record(tube, services.RecordInput(done_on=date(2026, 1, 5), work="Cleaned the tube", cost=Decimal("12.50")))
        db.session.commit()
        with app.test_request_context("/t/jelgava/"):
            login_user(world.coordinator)
            app.preprocess_request()  # the tenant and the user's roles in it, as for a page of the tenant
            html = render_template_string('{% for section in page_sections("inventory.item", item) %}{% include section.template %}{% endfor %}', item=tube)
    assert "Electrical safety test" in html and "Cleaned the tube" in html
    assert f"/t/jelgava/maintenance/items/{tube.id}/send" in html and f"/t/jelgava/maintenance/items/{tube.id}/schedules/new" in html


def test_the_api_records_maintenance_and_refuses_three_decimals(world, client, in_jelgava):
    from bibnet.accounts.services import issue_api_token

    tube = make_item()
    secret = issue_api_token(world.coordinator, "mine")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/tenants/jelgava/maintenance/items/{tube.id}/records"
    assert client.post(url, headers=headers, json={"done_on": "2026-03-02", "work": "Tested", "cost": "45.005"}).status_code == 422
    created = client.post(url, headers=headers, json={"done_on": "2026-03-02", "work": "Tested", "cost": "45.00"})
    assert created.status_code == 201 and created.get_json()["cost"] == "45.00"
    assert client.post(f"/api/v1/tenants/jelgava/maintenance/items/{tube.id}/send", headers=headers).get_json()["status"] == "maintenance"


@pytest.mark.parametrize(("utc_time", "counted"), [("2026-05-01T20:30:00", 0), ("2026-05-01T21:30:00", 1)])
def test_the_coordinators_task_counts_what_is_due_by_the_librarys_own_day(app, world, monkeypatch, utc_time, counted):
    from datetime import UTC, datetime

    from bibnet.tenants.maintenance import home

    with tenant_scope(world.jelgava):
        safety_test(make_item(), date(2026, 5, 2))
        db.session.commit()
    # Riga is three hours ahead in May: 21:30 UTC on the 1st is already the 2nd there.
    monkeypatch.setattr(home, "utcnow", lambda: datetime.fromisoformat(utc_time).replace(tzinfo=UTC))
    with app.test_request_context():
        tasks = home.maintenance_due(world.coordinator)
    assert sum(task.count for task in tasks) == counted
