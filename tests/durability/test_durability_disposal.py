"""Retiring a funded item before its durability ends needs the project lead's approval; a loss is recorded
whatever the durability (see services.py's docstring), an item bought with the library's own money needs no
approval, and everything the lead decides is audited."""
from contextlib import contextmanager
from datetime import date

from durability_items import invoice, item, kit
import pytest
import sqlalchemy as sa

from bibnet import tasks
from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.durability import services
from bibnet.tenants.inventory.durability.models import Decision
from bibnet.tenants.inventory.models import ItemStatus

from conftest import log_in, post_form


@contextmanager
def refused_saying(text: str):
    with pytest.raises(Refused) as refused:
        yield
    assert text in refused.value.summary(), refused.value.summary()


@pytest.fixture
def funded(world, in_jelgava):
    bought = item(expenditure_id=invoice(world.project).id)
    db.session.commit()
    return bought


def test_a_funded_item_cannot_be_retired_before_its_durability_ends(world, funded):
    with refused_saying("project lead must approve"):
        inventory.change_status(funded, ItemStatus.RETIRED)
    assert funded.status is ItemStatus.AVAILABLE


def test_before_the_final_payment_the_durability_runs_and_retiring_is_refused(world, funded):
    assert world.project.final_payment_on is None
    assert services.needs_approval(funded, date(2090, 1, 1))


def test_a_funded_item_can_be_recorded_as_lost(world, funded):
    inventory.change_status(funded, ItemStatus.LOST)
    assert funded.status is ItemStatus.LOST


def test_after_the_durability_ends_a_funded_item_is_retired_freely(world, funded):
    world.project.final_payment_on, world.project.durability_years = date(2024, 6, 30), 1
    db.session.commit()
    inventory.change_status(funded, ItemStatus.RETIRED)
    assert funded.status is ItemStatus.RETIRED


def test_an_item_bought_with_own_money_is_retired_freely(world, in_jelgava):
    own = item("Old armchair", "furniture")
    inventory.change_status(own, ItemStatus.RETIRED)
    assert own.status is ItemStatus.RETIRED


def test_a_kit_with_a_funded_part_cannot_be_retired_whole(world, in_jelgava):
    bought = invoice(world.project)
    whole = kit()
    whole.parts[0].expenditure_id = bought.id
    db.session.flush()
    with refused_saying(whole.parts[0].tag):
        inventory.change_status(whole, ItemStatus.RETIRED)


def test_once_the_lead_approves_the_request_the_item_can_be_retired(world, funded):
    request = services.request_disposal(funded, "Broken beyond repair", world.coordinator)
    db.session.commit()
    services.decide(request, Decision.APPROVED, "", world.lead)
    db.session.commit()
    inventory.change_status(funded, ItemStatus.RETIRED)
    assert funded.status is ItemStatus.RETIRED
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "DisposalRequest", AuditEntry.object_id == request.id).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["create", "update"]


def test_a_rejected_request_keeps_the_refusal(world, funded):
    request = services.request_disposal(funded, "We would like a newer model", world.coordinator)
    services.decide(request, Decision.REJECTED, "It still works: keep it in use.", world.lead)
    db.session.commit()
    with pytest.raises(Refused):
        inventory.change_status(funded, ItemStatus.RETIRED)


def test_only_the_lead_of_the_items_project_decides(world, funded):
    request = services.request_disposal(funded, "Broken", world.coordinator)
    with refused_saying("Only the lead"):
        services.decide(request, Decision.APPROVED, "", world.coordinator)
    assert request.pending


def test_a_rejection_needs_a_comment_and_a_decision_is_made_once(world, funded):
    request = services.request_disposal(funded, "Broken", world.coordinator)
    with pytest.raises(Refused) as refused:
        services.decide(request, Decision.REJECTED, "  ", world.lead)
    assert "comment" in refused.value.errors
    services.decide(request, Decision.APPROVED, "", world.lead)
    with refused_saying("decided already"):
        services.decide(request, Decision.REJECTED, "Changed my mind", world.lead)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_a_request_needs_a_reason_of_sensible_length(world, funded, reason):
    with pytest.raises(Refused) as refused:
        services.request_disposal(funded, reason, world.coordinator)
    assert "reason" in refused.value.errors


def test_a_second_request_while_one_waits_and_a_request_for_an_unfunded_item_are_refused(world, funded):
    services.request_disposal(funded, "Broken", world.coordinator)
    with refused_saying("waits"):
        services.request_disposal(funded, "Broken, really", world.coordinator)
    with refused_saying("needs no approval"):
        services.request_disposal(item("Chair", "furniture"), "Old", world.coordinator)


def test_the_lead_sees_a_waiting_request_as_a_task_and_decides_it_on_a_page(app, world, client):
    with tenant_scope(world.jelgava):
        funded = item(expenditure_id=invoice(world.project).id)
        request = services.request_disposal(funded, "The lamp is broken", world.coordinator)
        db.session.commit()
        request_id, item_id = request.id, funded.id
    with app.test_request_context():
        waiting = tasks.tasks_of(world.lead)
    assert [task.url for task in waiting if "disposals" in task.url] == [f"/t/jelgava/equipment/funding/disposals/{request_id}"]
    log_in(client, "lead@pasvalys.example")
    url = f"/t/jelgava/equipment/funding/disposals/{request_id}"
    assert "The lamp is broken" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {"decision": "approved", "comment": ""})
    assert response.status_code == 302
    with tenant_scope(world.jelgava):
        assert services.approved(db.session.get(type(funded), item_id))


def test_the_coordinator_asks_on_a_page(world, client, funded):
    log_in(client, "coordinator@jelgava.example")
    url = f"/t/jelgava/equipment/funding/items/{funded.id}/disposal"
    refused = post_form(client, url, {"reason": ""})
    assert refused.status_code == 422 and "Say why the item should be disposed of." in refused.get_data(as_text=True)
    assert post_form(client, url, {"reason": "Water damage"}).status_code == 302
    assert services.pending_request(funded).reason == "Water damage"


def test_staff_cannot_ask(world, client, funded):
    log_in(client, "staff@jelgava.example")
    assert client.get(f"/t/jelgava/equipment/funding/items/{funded.id}/disposal").status_code == 403


