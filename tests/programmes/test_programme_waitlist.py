"""Registering for a programme from the staff pages and the API: places up to the capacity, then the waitlist;
a cancellation lets the earliest waiting registration in, and the promoted participant is told by e-mail."""
from programme_world import make_programme, register_person
import pytest
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.organisations.models import Organisation, OrganisationKind
from bibnet.tenants.programmes.models import ProgrammeNeed, Registration, RegistrationStatus

from conftest import log_in, post_form, take_delivered_mail


def statuses(programme) -> list[tuple[str, str]]:
    return [(r.name, r.status.value) for r in db.session.scalars(sa.select(Registration).where(Registration.programme_id == programme.id).order_by(Registration.id))]


def test_staff_register_people_until_the_places_are_taken_then_the_waitlist(world, client, in_jelgava):
    programme = make_programme(world, capacity=3)
    log_in(client, "staff@jelgava.example")
    url = f"/t/jelgava/programmes/{programme.id}/registrations/new"
    first = post_form(client, url, {"is_group": "person", "name": "Anna", "phone": "+371 2000 0001", "companions": "1", "locale": "lv", "needs": ["wheelchair"]})
    second = post_form(client, url, {"is_group": "person", "name": "Jānis", "email": "janis@example.org", "companions": "1", "locale": "en"})
    third = post_form(client, url, {"is_group": "person", "name": "Ilze", "phone": "+371 2000 0003", "locale": "lv"})
    assert first.status_code == second.status_code == third.status_code == 302
    assert statuses(programme) == [("Anna", "registered"), ("Jānis", "waitlisted"), ("Ilze", "registered")]  # a single place does not wait behind a pair
    page = client.get(f"/t/jelgava/programmes/{programme.id}/registrations/").get_data(as_text=True)
    assert "3 of 3 places taken" in page and "1 registration on the waitlist" in page
    assert "Wheelchair place: 1" in page  # access needs only as counts of the programme
    assert db.session.scalar(sa.select(ProgrammeNeed.count)) == 1


def test_a_person_without_a_phone_or_e_mail_is_refused_with_a_field_error_and_nothing_is_written(world, client, in_jelgava):
    programme = make_programme(world, capacity=3)
    log_in(client, "staff@jelgava.example")
    response = post_form(client, f"/t/jelgava/programmes/{programme.id}/registrations/new", {"is_group": "person", "name": "Anna", "locale": "lv"})
    assert response.status_code == 422
    assert 'id="phone-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0


def test_cancelling_a_registration_promotes_the_earliest_waiting_one_who_is_mailed_in_their_language(app, world, client, in_jelgava):
    programme = make_programme(world, capacity=2)
    anna = register_person(programme, "Anna", companions=1)
    janis = register_person(programme, "Jānis", email="janis@example.org", locale="en")
    assert janis.status is RegistrationStatus.WAITLISTED
    take_delivered_mail(app)
    log_in(client, "staff@jelgava.example")
    response = post_form(client, f"/t/jelgava/programmes/{programme.id}/registrations/{anna.id}/cancel", {}, page=f"/t/jelgava/programmes/{programme.id}/registrations/")
    assert response.status_code == 302
    db.session.expire_all()
    assert statuses(programme) == [("Anna", "cancelled"), ("Jānis", "registered")]
    [mail] = take_delivered_mail(app)
    assert mail["To"] == "janis@example.org" and "A place is free for you: Seniors' club" in mail["Subject"]


def test_the_api_registers_waitlists_and_promotes_by_the_same_rules(world, client):
    from bibnet.accounts.services import issue_api_token

    with tenant_scope(world.jelgava):
        programme = make_programme(world, capacity=1)
    token = issue_api_token(world.staff, "test")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/tenants/jelgava/programmes/{programme.id}/registrations"
    first = client.post(url, json={"name": "Anna", "phone": "+371 2000 0001"}, headers=headers)
    group = client.post(url, json={"is_group": True, "name": "Care home", "group_size": 3}, headers=headers)
    assert (first.status_code, first.json["status"]) == (201, "registered")
    assert (group.status_code, group.json["status"], group.json["places"]) == (201, "waitlisted", 3)
    unreachable = client.post(url, json={"name": "Nobody"}, headers=headers)
    assert unreachable.status_code == 422 and "phone" in unreachable.json["errors"]["json"]
    cancelled = client.post(f"{url}/{first.json['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json["promoted"] == []  # three people do not fit one free place
    assert client.post(f"{url}/{first.json['id']}/cancel", headers=headers).status_code == 409
    raised = client.put(f"/api/v1/tenants/jelgava/programmes/{programme.id}", json={"kind": "club", "title": {"en": "Club"}, "capacity": 3}, headers=headers)
    assert raised.status_code == 200
    places = client.get(f"/api/v1/tenants/jelgava/programmes/{programme.id}/places", headers=headers).json
    assert (places["registered"], places["registered_places"], places["waitlisted"]) == (1, 3, 0)  # a larger capacity let the group in


def test_a_registration_referred_by_another_librarys_organisation_is_refused(world, in_jelgava):
    with tenant_scope(world.pasvalys):
        theirs = Organisation(name="Pasvalys social services", kind=OrganisationKind.SOCIAL_SERVICES)
        db.session.add(theirs)
        db.session.commit()
    programme = make_programme(world, capacity=3)
    with pytest.raises(Refused) as refusal:
        register_person(programme, "Anna", referred_by_id=theirs.id)
    assert "referred_by_id" in refusal.value.errors
