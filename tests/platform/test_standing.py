"""What a user holds in a tenant, and who can change it.

A user can stand in a tenant in several ways at once: as its member (coordinator or staff), as lead of a project
the tenant is partner in, as platform admin. They hold all of them. A membership is the coordinator's to give,
so it never takes away what a user holds as project lead or platform admin.
"""
from email import message_from_bytes
from pathlib import Path

import sqlalchemy as sa

from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.services import issue_api_token
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import deliver_queued_mail, log_in, post_form


def bearer(user) -> dict:
    secret = issue_api_token(user, "standing")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def add_member(tenant, user, role):
    with tenant_scope(tenant):
        db.session.add(Membership(user_id=user.id, role=role))
        db.session.commit()


def test_a_project_lead_added_as_staff_keeps_the_powers_of_the_lead(world, client):
    headers = bearer(world.lead)
    budget = f"/api/v1/tenants/jelgava/projects/{world.project.id}/budget"
    assert client.get(budget, headers=headers).status_code == 200

    add_member(world.jelgava, world.lead, Role.STAFF)

    assert client.get(budget, headers=headers).status_code == 200


def test_a_platform_admin_added_as_staff_keeps_the_powers_of_the_admin(world, client):
    headers = bearer(world.admin)
    add_member(world.jelgava, world.admin, Role.STAFF)

    assert client.get("/api/v1/tenants/jelgava/users", headers=headers).status_code == 200


def test_the_invitation_page_cannot_lower_the_lead(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/users/invite", {"email": "lead@pasvalys.example", "name": "Someone Else", "role": "staff"})
    assert response.status_code == 302

    lead = bearer(world.lead)
    assert client.get(f"/api/v1/tenants/jelgava/projects/{world.project.id}/budget", headers=lead).status_code == 200


def test_inviting_a_person_who_has_an_account_keeps_their_name_and_language(world, client, app):
    world.lead.locale = None  # never chose a language: their own library's is theirs (Pasvalys: Lithuanian)
    add_member(world.pasvalys, world.lead, Role.STAFF)
    log_in(client, "coordinator@jelgava.example")

    response = post_form(client, "/t/jelgava/users/invite", {"email": "lead@pasvalys.example", "name": "Someone Else", "role": "staff"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert db.session.scalar(sa.select(User.name).where(User.email == "lead@pasvalys.example")) == "Rasa Lead"
    assert "already has a BibNet account, under the name Rasa Lead" in page
    deliver_queued_mail(app)
    [mail] = [message_from_bytes(path.read_bytes()) for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml")]
    assert mail["To"] == "lead@pasvalys.example"
    assert _language_of_mail(mail) == "lt"


def _language_of_mail(mail) -> str:
    """The invitation's subject in each language, to tell which one the mail was written in."""
    from flask_babel import force_locale, gettext

    subjects = {}
    for language in ("en", "lv", "lt"):
        with force_locale(language):
            subjects[gettext("You are invited to BibNet")] = language
    return subjects[str(mail["Subject"])]


def test_the_home_page_names_every_role_the_user_holds(world, client):
    add_member(world.jelgava, world.lead, Role.STAFF)
    log_in(client, "lead@pasvalys.example")
    page = client.get("/t/jelgava/").get_data(as_text=True)
    assert "Library staff, Project lead" in page
