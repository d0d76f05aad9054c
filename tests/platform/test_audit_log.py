"""The audit log viewer: a coordinator reads their library's entries, a project lead those of the project's
partners, a platform admin everybody's; filtered by library, person, kind of object, object and dates, newest
first, a page at a time. Bad filter values are named on the page, never a server error."""
from datetime import UTC, datetime, timedelta

import pytest

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.tenancy.models import Country

from conftest import PASSWORD, log_in, post_form


def entry(tenant, object_type="Room", object_id=1, actor=None, at=None, action="update", changes=None):
    row = AuditEntry(
        tenant_id=tenant.id if tenant is not None else None,
        actor_id=actor.id if actor is not None else None,
        at=at or datetime.now(UTC),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changes=changes if changes is not None else {"name": ["Old name", "New name"]},
    )
    db.session.add(row)
    db.session.commit()
    return row


def signed_in(app, email):
    client = app.test_client()
    log_in(client, email)
    return client


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


# --- who sees what ----------------------------------------------------------------------------------------


def test_a_coordinator_sees_their_librarys_entries_and_never_another_librarys(world, make_room, client):
    make_room(world.jelgava, "Jelgava quiet room")
    make_room(world.pasvalys, "Pasvalys bubble room")
    log_in(client, "coordinator@jelgava.example")
    body = page(client, "/t/jelgava/audit/")
    assert "Jelgava quiet room" in body and "Room" in body
    assert "Pasvalys bubble room" not in body and "Rūta Coordinator" not in body
    assert page(client, "/t/pasvalys/audit/", 404)


def test_the_coordinator_sees_who_changed_what(world, client):
    entry(world.jelgava, actor=world.coordinator, changes={"capacity": [6, 8]})
    log_in(client, "coordinator@jelgava.example")
    body = page(client, "/t/jelgava/audit/")
    assert "Ilze Coordinator" in body and "<code>capacity</code>" in body and "Changed" in body
    assert "6 <span aria-hidden=\"true\">→</span>" in body


@pytest.mark.parametrize("email", ["staff@jelgava.example", "lead@pasvalys.example"])
def test_staff_and_visiting_leads_have_no_tenant_audit_page(world, client, email):
    log_in(client, email)
    assert client.get("/t/jelgava/audit/").status_code == 403
    assert b"Audit log" not in client.get("/t/jelgava/").data  # no menu entry either


def test_the_lead_sees_only_the_partners_of_the_project_they_lead(world, make_tenant, make_project, make_room, make_user, client):
    riga = make_tenant("riga", "Riga City", Country.LV)
    make_project([riga], lead_user=make_user("lead@riga.example", "Other Lead"), acronym="Elsewhere")
    make_room(world.jelgava, "Jelgava quiet room")
    make_room(world.pasvalys, "Pasvalys bubble room")
    make_room(riga, "Riga room")
    log_in(client, "lead@pasvalys.example")
    body = page(client, f"/projects/{world.project.id}/audit/")
    assert "Jelgava quiet room" in body and "Pasvalys bubble room" in body
    assert "Riga" not in body
    assert page(client, f"/projects/{world.project.id}/audit/?tenant={world.jelgava.id}").count("bubble room") == 0
    assert b"/audit/" in client.get("/").data  # linked from the lead's dashboard


def test_the_project_page_is_for_its_lead_and_admins_only(world, app, make_project, make_tenant):
    other = make_project([make_tenant("riga", "Riga City")], acronym="Elsewhere")
    assert signed_in(app, "lead@pasvalys.example").get(f"/projects/{other.id}/audit/").status_code == 404
    assert signed_in(app, "coordinator@jelgava.example").get(f"/projects/{world.project.id}/audit/").status_code == 404
    assert signed_in(app, "admin@bibnet.example").get(f"/projects/{other.id}/audit/").status_code == 200


def test_a_lead_cannot_choose_a_library_outside_the_project(world, make_tenant, make_room, client):
    riga = make_tenant("riga", "Riga City")
    make_room(riga, "Riga room")
    log_in(client, "lead@pasvalys.example")
    body = page(client, f"/projects/{world.project.id}/audit/?tenant={riga.id}", 422)
    assert "Choose a library from the list." in body and "Riga room" not in body


def test_the_admin_sees_every_entry_and_changes_to_users(world, make_tenant, make_room, client, app):
    make_room(make_tenant("riga", "Riga City"), "Riga room")
    make_room(world.jelgava, "Jelgava quiet room")
    log_in(client, "admin@bibnet.example")
    body = page(client, "/admin/audit/")
    assert "Riga room" in body and "Jelgava quiet room" in body and "User account" in body
    assert b"/admin/audit/" in client.get("/admin/").data
    for email in ("coordinator@jelgava.example", "lead@pasvalys.example"):
        assert signed_in(app, email).get("/admin/audit/").status_code == 403


def test_redacted_columns_show_as_changed_without_their_values(world, app):
    staff = signed_in(app, "staff@jelgava.example")
    new = "another long passphrase"
    assert post_form(staff, "/profile/password", {"current_password": PASSWORD, "password": new, "confirm": new}, page="/profile").status_code == 302
    body = page(signed_in(app, "admin@bibnet.example"), f"/admin/audit/?object_type=User&object_id={world.staff.id}")
    assert "changed (the values are not recorded)" in body
    assert "$argon2" not in body and world.staff.session_token not in body


# --- filters, order and pages ------------------------------------------------------------------------------


def test_entries_are_filtered_by_person_kind_object_library_and_dates(world, client):
    now = datetime.now(UTC)
    entry(world.jelgava, "Room", 1, actor=world.coordinator, at=now - timedelta(days=40), changes={"name": ["a", "old-room"]})
    entry(world.jelgava, "Room", 2, actor=world.staff, at=now, changes={"name": ["a", "staff-room"]})
    entry(world.jelgava, "Closure", 1, actor=world.coordinator, at=now, changes={"reason": ["a", "closure-one"]})
    entry(world.pasvalys, "Room", 1, actor=world.other_coordinator, at=now, changes={"name": ["a", "pasvalys-room"]})
    log_in(client, "admin@bibnet.example")

    def shown(query):
        body = page(client, "/admin/audit/?" + query)
        return {name for name in ("old-room", "staff-room", "closure-one", "pasvalys-room") if name in body}

    assert shown("") == {"old-room", "staff-room", "closure-one", "pasvalys-room"}
    assert shown(f"actor={world.staff.id}") == {"staff-room"}
    assert shown("object_type=Closure") == {"closure-one"}
    assert shown("object_type=Room&object_id=1") == {"old-room", "pasvalys-room"}
    assert shown(f"tenant={world.pasvalys.id}") == {"pasvalys-room"}
    recent = (now - timedelta(days=7)).date()
    assert shown(f"since={recent.isoformat()}&tenant={world.jelgava.id}") == {"staff-room", "closure-one"}
    old = (now - timedelta(days=40)).date()
    assert shown(f"since={old.strftime('%d/%m/%Y')}&until={old.isoformat()}") == {"old-room"}


def test_dates_are_read_the_eu_way_in_latvian(world, client):
    day = datetime(2026, 3, 31, 12, tzinfo=UTC)
    entry(world.jelgava, changes={"name": ["a", "march-room"]}, at=day)
    log_in(client, "coordinator@jelgava.example")  # Jelgava's language, Latvian: dates are typed 31.03.2026
    body = page(client, "/t/jelgava/audit/?since=31.03.2026&until=31.03.2026")
    assert 'lang="lv"' in body and "march-room" in body
    assert "march-room" not in page(client, "/t/jelgava/audit/?since=01.04.2026")


def test_newest_first_and_a_page_at_a_time(world, client):
    start = datetime.now(UTC) - timedelta(hours=30)
    for number in range(25):
        entry(world.jelgava, "Room", number + 100, at=start + timedelta(hours=number), changes={"name": ["a", f"room-{number:02d}"]})
    log_in(client, "coordinator@jelgava.example")
    first = page(client, "/t/jelgava/audit/?object_type=Room")
    assert first.index("room-24") < first.index("room-23") and "room-04" not in first
    assert "Page 1 of 2" in first and "object_type=Room" in first  # the next page keeps the filter
    second = page(client, "/t/jelgava/audit/?object_type=Room&page=2")
    assert "room-04" in second and "room-00" in second and "room-05" not in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=31/02/2026", "Enter a real date"),
        ("until=01/02/2027", "could be"),
        ("since=2026-05-02&until=2026-05-01", "The end date is before the start date."),
        ("object_id=abc", "Enter the object number in digits"),
        ("object_id=99999999999", "Enter the object number in digits"),
        ("object_type=Nonsense", "Choose a kind of object from the list."),
        ("actor=999999", "Choose a person from the list."),
        ("actor=x", "Choose a person from the list."),
        ("tenant=abc", "Choose a library from the list."),
        ("since=1200-01-01", "Enter a date from"),
    ],
)
def test_bad_filter_values_are_named_and_the_rest_of_the_page_still_shows(world, client, query, message):
    entry(world.jelgava, changes={"name": ["a", "still-shown"]})
    log_in(client, "admin@bibnet.example")
    body = page(client, "/admin/audit/?" + query, 422)
    assert message in body and "There is a problem" in body
    assert "still-shown" in body


def test_a_coordinator_cannot_filter_their_way_into_another_library(world, client):
    entry(world.pasvalys, changes={"name": ["a", "pasvalys-secret"]})
    log_in(client, "coordinator@jelgava.example")
    body = page(client, f"/t/jelgava/audit/?tenant={world.pasvalys.id}&actor={world.other_coordinator.id}", 422)
    assert "pasvalys-secret" not in body and "Rūta" not in body


def test_object_types_are_named_in_the_users_language(world, make_room, client):
    make_room(world.jelgava, "Jelgava quiet room")
    log_in(client, "coordinator@jelgava.example")
    post_form(client, "/language", {"locale": "lv", "next": "/"}, page="/profile")
    body = page(client, "/t/jelgava/audit/")
    assert 'lang="lv"' in body and "<td>Telpa Nr. " in body


def test_an_entry_without_a_registered_label_shows_its_class_name(world, client):
    entry(world.jelgava, "SomethingNew", 7)
    log_in(client, "coordinator@jelgava.example")
    assert "SomethingNew" in page(client, "/t/jelgava/audit/")


def test_the_audit_entries_table_has_an_index_for_every_filter(app):
    indexed = {tuple(column.name for column in index.columns) for index in AuditEntry.__table__.indexes}
    assert {("tenant_id", "at"), ("actor_id", "at"), ("object_type", "object_id"), ("at",)} <= indexed


def test_the_date_range_is_the_libraries_days_not_utc_days(world, client):
    """22:30 UTC on 30 March is 01:30 on 31 March in Riga (UTC+3 in summer): it belongs to the 31st."""
    entry(world.jelgava, changes={"name": ["a", "after-midnight-in-riga"]}, at=datetime(2026, 3, 30, 22, 30, tzinfo=UTC))
    log_in(client, "coordinator@jelgava.example")
    assert "after-midnight-in-riga" in page(client, "/t/jelgava/audit/?since=2026-03-31&until=2026-03-31")
    body = page(client, "/t/jelgava/audit/?since=2026-03-30&until=2026-03-30")
    assert "after-midnight-in-riga" not in body and "Europe/Riga" in body
