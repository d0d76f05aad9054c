"""A session's roster: each registration holding places is marked present, excused or absent (a group with how
many came), and the people who came are counted per target group on the same page; the paper roster is a
tagged PDF. The roster opens from an hour before the session; a cancelled session has none."""
from datetime import timedelta
import io

from programme_world import make_programme, register_person, session_at
from pypdf import PdfReader
import sqlalchemy as sa

from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tenants.programmes import registrations
from bibnet.tenants.programmes.models import Attendance, Mark, ProgrammeSession
from bibnet.tenants.programmes.registrations import RegistrationRequest

from conftest import log_in, post_form, structure_tags


def _held_yesterday(world):
    programme = make_programme(world, capacity=20)
    anna = register_person(programme, "Anna")
    group = registrations.register(programme, RegistrationRequest(name="Care home Liepa", is_group=True, group_size=5))
    db.session.commit()
    session = session_at(programme, world.jelgava.today() - timedelta(days=1))
    return programme, anna, group, session


def test_staff_mark_the_roster_and_count_who_came_per_target_group(world, client, in_jelgava):
    programme, anna, group, session = _held_yesterday(world)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/roster"
    page = client.get(url).get_data(as_text=True)
    assert f'id="mark_{anna.id}-0"' in page and f'name="present_{group.id}"' in page
    response = post_form(client, url, {f"mark_{anna.id}": "excused", f"mark_{group.id}": "present", f"present_{group.id}": "4", "attended_seniors": "3", "attended_intellectual": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    marks = {row.registration_id: (row.mark, row.present) for row in db.session.scalars(sa.select(Attendance))}
    assert marks == {anna.id: (Mark.EXCUSED, 0), group.id: (Mark.PRESENT, 4)}
    held = db.session.get(ProgrammeSession, session.id)
    assert (held.attended_seniors, held.attended_intellectual, held.attended_visual) == (3, 1, None)
    again = post_form(client, url, {f"mark_{anna.id}": "present", f"mark_{group.id}": "present", f"present_{group.id}": "4", "attended_seniors": "4", "attended_intellectual": "1"})
    assert again.status_code == 302  # marks may be corrected
    db.session.expire_all()
    assert db.session.scalar(sa.select(Attendance.mark).where(Attendance.registration_id == anna.id)) is Mark.PRESENT
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 2


def test_more_of_a_group_than_it_has_is_refused_and_nothing_is_written(world, client, in_jelgava):
    programme, _anna, group, session = _held_yesterday(world)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/roster"
    response = post_form(client, url, {f"mark_{group.id}": "present", f"present_{group.id}": "9", "attended_seniors": "9"})
    assert response.status_code == 422 and f'id="present_{group.id}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_the_roster_of_a_session_next_week_cannot_be_marked_yet(world, client, in_jelgava):
    programme = make_programme(world)
    anna = register_person(programme, "Anna")
    session = session_at(programme, world.jelgava.today() + timedelta(days=7))
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/roster"
    assert "from an hour before the session starts" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, {f"mark_{anna.id}": "present"}, page=f"/t/jelgava/programmes/{programme.id}/")
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_the_paper_roster_is_a_tagged_pdf_listing_the_registered(world, client, in_jelgava):
    programme, _anna, _group, session = _held_yesterday(world)
    log_in(client, "staff@jelgava.example")
    response = client.get(f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/roster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Anna" in text and "Care home Liepa" in text and "Seniors (50 and older)" in text
    assert {"/Table", "/TH"} <= structure_tags(reader.trailer["/Root"]["/StructTreeRoot"])


def test_the_api_records_and_reads_the_attendance(world, client):
    from bibnet.accounts.services import issue_api_token
    from bibnet.tenancy.context import tenant_scope

    with tenant_scope(world.jelgava):
        programme, anna, group, session = _held_yesterday(world)
    token = issue_api_token(world.staff, "test")
    db.session.commit()
    url = f"/api/v1/tenants/jelgava/programmes/{programme.id}/sessions/{session.id}/attendance"
    headers = {"Authorization": f"Bearer {token}"}
    body = {"marks": [{"registration_id": anna.id, "mark": "present"}, {"registration_id": group.id, "mark": "present", "present": 3}], "attended": {"seniors": 4}}
    response = client.put(url, json=body, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["attended"]["seniors"] == 4 and response.json["attended"]["visual"] is None
    assert {(row["registration_id"], row["present"]) for row in response.json["marks"]} == {(anna.id, 1), (group.id, 3)}
    stranger = client.put(url, json={"marks": [{"registration_id": 999999, "mark": "present"}]}, headers=headers)
    assert stranger.status_code == 422


def test_a_cancelled_session_has_no_roster(world, client, in_jelgava):
    programme = make_programme(world)
    session = session_at(programme, world.jelgava.today() + timedelta(days=3))
    session.cancelled_at = utcnow()
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    assert "This session is cancelled." in client.get(f"/t/jelgava/programmes/{programme.id}/sessions/{session.id}/roster").get_data(as_text=True)
