"""The lending pages: lists, borrower forms, lending by tag, the return desk, the check with a kit's checklist,
reservations, and the section on the item page. Bad input gets 422 and a busy item 409, with nothing written."""
from datetime import timedelta
import io
from pathlib import Path

from flask import g, render_template
from lending_world import lend, make_borrower, make_item, make_kit
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.inventory.models import ItemStatus
from bibnet.tenants.lending import item_section, services
from bibnet.tenants.lending.models import Borrower, Loan
from bibnet.web import panels

from conftest import csrf_token, log_in, post_form

LENDING = "/t/jelgava/lending"


@pytest.fixture
def jelgava_kit(world):
    with tenant_scope(world.jelgava):
        kit, borrower = make_kit(), make_borrower()
        db.session.commit()
        return kit.id, kit.tag, borrower.id, [part.id for part in kit.parts]


def _count(model) -> int:
    with tenant_scope_of_jelgava():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def tenant_scope_of_jelgava():
    from bibnet.tenancy.models import Tenant

    return tenant_scope(db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava")))


@pytest.mark.parametrize("path", ["/", "/?show=overdue", "/?show=idle", "/?show=check", "/lend", "/return", "/borrowers/", "/borrowers/?q=anna", "/borrowers/new", "/reservations/"])
def test_every_lending_page_opens_for_staff(world, client, jelgava_kit, path):
    log_in(client, "staff@jelgava.example")
    assert client.get(LENDING + path).status_code == 200


def test_a_project_lead_sees_no_borrower(world, client):
    log_in(client, "lead@pasvalys.example")
    assert client.get(LENDING + "/borrowers/").status_code in (403, 404)


def test_a_borrower_is_registered_with_consent_and_without_it_is_refused(world, client):
    log_in(client, "staff@jelgava.example")
    sent = {"kind": "person", "name": "Anna Bērziņa", "phone": "+371 2000 1111", "preferred_locale": "lv", "preferred_channel": "phone", "consent_on": ""}
    refused = post_form(client, LENDING + "/borrowers/new", sent)
    assert refused.status_code == 422 and _count(Borrower) == 0
    saved = post_form(client, LENDING + "/borrowers/new", sent | {"consent_on": services_today_iso()})
    assert saved.status_code == 302 and _count(Borrower) == 1


def services_today_iso() -> str:
    with tenant_scope_of_jelgava():
        return services.today().isoformat()


def test_lending_a_kit_by_its_tag_then_returning_it_through_cleaning_and_the_check(world, client, jelgava_kit):
    kit_id, tag, borrower_id, part_ids = jelgava_kit
    log_in(client, "staff@jelgava.example")
    due = (date_today() + timedelta(days=21)).isoformat()
    lent = post_form(client, LENDING + "/lend", {"tag": tag.lower(), "borrower": str(borrower_id), "due_on": due, "target_group": "visual", "delivery": "staff",
                                                  "acceptance_on_paper": "y", "acceptance_signed_on": date_today().isoformat()})
    assert lent.status_code == 302, lent.get_data(as_text=True)[:3000]
    again = post_form(client, LENDING + "/lend", {"tag": tag, "borrower": str(borrower_id), "due_on": due, "target_group": "visual", "delivery": "desk",
                                                   "acceptance_on_paper": "y", "acceptance_signed_on": date_today().isoformat()})
    assert again.status_code == 409 and "on loan already" in again.get_data(as_text=True)
    assert _count(Loan) == 1
    returned = post_form(client, LENDING + "/return", {"tag": tag})
    assert returned.status_code == 302
    check_page = client.get(returned.headers["Location"])
    assert check_page.status_code == 200 and "Charger" in check_page.get_data(as_text=True)
    checked = post_form(client, returned.headers["Location"], {"present": [str(part_id) for part_id in part_ids[:3]]})
    assert checked.status_code == 302
    with tenant_scope_of_jelgava():
        from bibnet.tenants.inventory.models import Item

        statuses = dict(db.session.execute(sa.select(Item.id, Item.status)).all())
    assert statuses[kit_id] is ItemStatus.AVAILABLE and statuses[part_ids[3]] is ItemStatus.LOST


def date_today():
    with tenant_scope_of_jelgava():
        return services.today()


def test_an_unknown_tag_is_explained_and_nothing_is_lent(world, client, jelgava_kit):
    log_in(client, "staff@jelgava.example")
    response = post_form(client, LENDING + "/lend", {"tag": "BN-99999", "borrower": str(jelgava_kit[2]), "due_on": date_today().isoformat(), "target_group": "visual", "delivery": "desk", "acceptance_on_paper": "y", "acceptance_signed_on": date_today().isoformat()})
    assert response.status_code == 422 and "No item has this tag" in response.get_data(as_text=True)
    assert _count(Loan) == 0


def test_returning_a_tag_not_on_loan_is_explained(world, client, jelgava_kit):
    log_in(client, "staff@jelgava.example")
    response = post_form(client, LENDING + "/return", {"tag": jelgava_kit[1]})
    assert response.status_code == 422 and "No item on loan has this tag" in response.get_data(as_text=True)


def test_the_item_page_section_shows_the_loan_or_a_lend_button(app, world):
    assert "lending/_item_section.html" in [section.template for section in panels._page_sections["inventory.item"]]
    with tenant_scope(world.jelgava):
        item, other = make_item("Magnifier"), make_item("DAISY player")
        lend(item, make_borrower(), world.staff)
        db.session.commit()
        with app.test_request_context("/t/jelgava/"):
            g.tenant = world.jelgava  # as the tenant resolver sets it: links are built with its slug
            lent, free = item_section.item_lending(item), item_section.item_lending(other)
            html = render_template("lending/_item_section.html", section=panels.ShownPanel("lending/_item_section.html", free))
    assert lent["loan"] is not None and not lent["may_lend"]
    assert free["loan"] is None and free["may_lend"] and f"item={other.tag}" in html


def test_a_reservation_is_made_and_cancelled_from_its_page(world, client, jelgava_kit):
    log_in(client, "staff@jelgava.example")
    start = date_today() + timedelta(days=5)
    made = post_form(client, LENDING + "/reservations/", {"tag": jelgava_kit[1], "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=2)).isoformat(), "purpose": "Sensory session"})
    assert made.status_code == 302
    overlapping = post_form(client, LENDING + "/reservations/", {"tag": jelgava_kit[1], "starts_on": start.isoformat(), "ends_on": start.isoformat(), "purpose": "Club"})
    assert overlapping.status_code == 409
    with tenant_scope_of_jelgava():
        from bibnet.tenants.lending.models import Reservation

        reservation_id = db.session.scalar(sa.select(Reservation.id))
    cancelled = post_form(client, f"{LENDING}/reservations/{reservation_id}/cancel", {}, page=LENDING + "/reservations/")
    assert cancelled.status_code == 302


def test_a_home_delivery_goes_on_the_route_of_the_staff_member_chosen_and_another_librarys_is_refused(world, client, jelgava_kit):
    _kit_id, tag, borrower_id, _parts = jelgava_kit
    log_in(client, "coordinator@jelgava.example")
    sent = {"tag": tag, "borrower": str(borrower_id), "due_on": (date_today() + timedelta(days=21)).isoformat(), "target_group": "seniors",
            "delivery": "staff", "acceptance_on_paper": "y", "acceptance_signed_on": date_today().isoformat()}
    refused = post_form(client, LENDING + "/lend", sent | {"staff": str(world.other_staff.id)})
    assert refused.status_code == 422 and "Choose a member of your library" in refused.get_data(as_text=True)
    assert _count(Loan) == 0
    assert post_form(client, LENDING + "/lend", sent | {"staff": str(world.staff.id)}).status_code == 302
    with tenant_scope_of_jelgava():
        assert db.session.scalar(sa.select(Loan.staff_id)) == world.staff.id


def _stored_files(app) -> list[str]:
    return sorted(path.name for path in Path(app.config["STORAGE_LOCAL_ROOT"]).rglob("*") if path.is_file())


def test_a_scan_of_the_acceptance_is_kept_with_its_loan_and_a_refused_loan_keeps_none(app, world, client, jelgava_kit):
    _kit_id, tag, borrower_id, _parts = jelgava_kit
    log_in(client, "staff@jelgava.example")
    stored_before = _stored_files(app)

    def lend_with_scan(due_on):
        return client.post(LENDING + "/lend", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(client.get(LENDING + "/lend").get_data(as_text=True)), "tag": tag, "borrower": str(borrower_id),
            "due_on": due_on.isoformat(), "target_group": "seniors", "delivery": "desk",
            "acceptance_scan": (io.BytesIO(b"%PDF-1.4 signed by Anna"), "acceptance.pdf"),
        })

    assert lend_with_scan(date_today() - timedelta(days=1)).status_code == 422
    assert (_count(StoredFile), _stored_files(app)) == (0, stored_before)
    assert lend_with_scan(date_today() + timedelta(days=14)).status_code == 302
    with tenant_scope_of_jelgava():
        assert db.session.scalar(sa.select(Loan.acceptance_file_id)) == db.session.scalar(sa.select(StoredFile.id))
