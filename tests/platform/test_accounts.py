"""Log-in, sessions, password reset, invitations and the coordinator's user management."""
from pathlib import Path
import re
import time

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY
import pytest
import sqlalchemy as sa

from bibnet.accounts import links, passwords
from bibnet.accounts.models import Membership, Role, User
from bibnet.accounts.passwords import hash_password
from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import PASSWORD, deliver_queued_mail, log_in, post_form


def _outbox(app) -> list[str]:
    deliver_queued_mail(app)
    folder = Path(app.config["MAIL_OUTBOX"])
    return [path.read_text() for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime)] if folder.exists() else []


def _link_in(mail: str) -> str:
    import email

    body = email.message_from_string(mail).get_payload(decode=True).decode()
    return next(line for line in body.splitlines() if line.startswith("http")).replace("http://localhost", "")


def _argon2_parameters(hashed: str) -> dict[str, int]:
    assert hashed.startswith("$argon2id$")
    return {name: int(value) for name, value in (part.split("=") for part in hashed.split("$")[3].split(","))}


def test_passwords_are_hashed_with_owasps_first_argon2id_configuration(production_password_hashing):
    """19 MiB, 2 passes, 1 lane: the OWASP minimum, and a log-in holds 19 MiB while it hashes, not 64."""
    assert _argon2_parameters(hash_password("whatever it is")) == {"m": 19 * 1024, "t": 2, "p": 1}


@pytest.mark.parametrize("profile", [CHEAPEST, RFC_9106_LOW_MEMORY], ids=["more cheaply", "with 64 MiB"])
def test_a_password_hashed_with_other_parameters_is_hashed_again_at_log_in(world, client, production_password_hashing, profile):
    world.staff.password_hash = PasswordHasher.from_parameters(profile).hash(PASSWORD)
    db.session.commit()
    log_in(client, "staff@jelgava.example")
    assert _argon2_parameters(db.session.get(User, world.staff.id).password_hash) == {"m": 19 * 1024, "t": 2, "p": 1}


def test_log_in_ignores_the_case_of_the_email_address(world, client):
    log_in(client, "Coordinator@JELGAVA.example")
    assert client.get("/").status_code == 200


def test_email_addresses_are_unique_ignoring_case(world):
    db.session.add(User(email="COORDINATOR@jelgava.example", name="Twin"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_wrong_password_says_what_happened_and_what_to_do(world, client):
    response = post_form(client, "/login", {"email": "staff@jelgava.example", "password": "nope"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The e-mail address or the password is wrong" in page
    assert "reset your password" in page
    assert "There is a problem" in page and "<title>Error:" in page


class CountingHasher(PasswordHasher):
    """argon2id at its cheapest, counting the passwords it verifies."""

    verified = 0

    def verify(self, hash, password):
        CountingHasher.verified += 1
        return super().verify(hash, password)


@pytest.mark.parametrize("email, password", [
    ("nobody@jelgava.example", PASSWORD),  # no such account
    ("staff@jelgava.example", PASSWORD),  # an account made inactive below
    ("coordinator@jelgava.example", "wrong password"),
])
def test_every_refused_log_in_verifies_a_password_so_its_time_does_not_tell_who_has_an_account(world, client, monkeypatch, email, password):
    monkeypatch.setattr(passwords, "_hasher", CountingHasher.from_parameters(CHEAPEST))
    monkeypatch.setattr(CountingHasher, "verified", 0)
    world.staff.active = False
    db.session.commit()
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 422
    assert CountingHasher.verified == 1


def test_log_in_is_rate_limited_per_account_and_says_what_to_do(world, client):
    for _ in range(5):
        assert post_form(client, "/login", {"email": "staff@jelgava.example", "password": "nope"}).status_code == 422
    response = post_form(client, "/login", {"email": "staff@jelgava.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Wait a minute, then try again. If you forgot your password, you can reset it." in response.get_data(as_text=True)


def test_a_new_session_starts_at_log_in_and_the_cookie_is_protected(world, client):
    response = log_in(client, "staff@jelgava.example")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_log_out_really_ends_the_session(world, client):
    log_in(client, "staff@jelgava.example")
    stolen = client.get_cookie("bibnet").value
    post_form(client, "/logout", {}, page="/")
    replay = client.__class__(client.application)
    replay.set_cookie("bibnet", stolen)
    assert replay.get("/").status_code == 302


def test_deactivating_a_user_ends_their_sessions(world, client):
    log_in(client, "staff@jelgava.example")
    db.session.get(User, world.staff.id).active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_password_reset_by_a_single_use_link(world, client, app):
    response = post_form(client, "/password/forgot", {"email": "staff@jelgava.example"})
    assert response.status_code == 302
    link = _link_in(_outbox(app)[-1])
    assert post_form(client, link, {"password": "a brand new secret", "confirm": "a brand new secret"}).status_code == 302
    log_in(client, "staff@jelgava.example", "a brand new secret")
    used_again = client.get(link)
    assert used_again.status_code == 404
    assert "The link has been used already" in used_again.get_data(as_text=True)


def test_an_expired_reset_link_says_so_and_offers_a_new_one(world, client, monkeypatch, app):
    with app.test_request_context():
        token = links.make_token(world.staff, links.RESET)
    monkeypatch.setitem(links.LIFETIME_SECONDS, links.RESET, 0)
    time.sleep(1.1)
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This link has expired" in page and "Ask for a new password reset link" in page


def test_asking_for_a_reset_does_not_reveal_whether_an_account_exists(world, client, app):
    response = post_form(client, "/password/forgot", {"email": "nobody@example.lv"})
    assert response.status_code == 302
    assert _outbox(app) == []


def test_a_coordinator_invites_a_new_colleague_who_sets_a_password(world, client, app):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/users/invite", {"email": "New.Person@Example.lv", "name": "Anna Jauna", "role": "staff"})
    assert response.status_code == 302
    assert _status_on_the_users_page(client, "new.person@example.lv") == "invited, not yet accepted"
    link = _link_in(_outbox(app)[-1])
    newcomer = client.__class__(app)
    response = post_form(newcomer, link, {"name": "Anna Jaunā", "password": "welcome to bibnet", "confirm": "welcome to bibnet"})
    assert response.status_code == 302
    assert _status_on_the_users_page(client, "new.person@example.lv") == "active"
    assert newcomer.get("/t/jelgava/").status_code == 200
    assert newcomer.get("/t/pasvalys/").status_code == 404
    assert newcomer.get(link).status_code == 404  # single use


def test_inviting_an_existing_member_is_refused_with_a_message_and_changes_nothing(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/users/invite", {"email": "staff@jelgava.example", "name": "Again", "role": "coordinator"})
    assert response.status_code == 422
    assert "already a member" in response.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.scalar(sa.select(Membership.role).where(Membership.user_id == world.staff.id)) is Role.STAFF


def _status_on_the_users_page(client, email: str) -> str:
    page = client.get("/t/jelgava/users/").get_data(as_text=True)
    row = re.search(rf"<td>{re.escape(email)}</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", page)
    assert row is not None, page
    return row.group(1)


def test_an_empty_invitation_asks_for_the_invitees_address_not_the_coordinators(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/users/invite", {"email": "", "name": "Anna", "role": "staff"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the e-mail address of the person you invite." in page and "Enter your e-mail address." not in page


def test_invalid_invitation_input_gets_messages_next_to_the_fields(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = post_form(client, "/t/jelgava/users/invite", {"email": "not-an-address", "name": "", "role": "boss"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#email"' in page and 'href="#name"' in page and 'href="#role"' in page
    assert 'aria-invalid="true"' in page


def test_a_coordinator_changes_a_role_and_deactivates_in_their_own_tenant(world, client):
    log_in(client, "coordinator@jelgava.example")
    with tenant_scope(world.jelgava):
        membership_id = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == world.staff.id))
    url = f"/t/jelgava/users/{membership_id}"
    assert post_form(client, url, {"role": "coordinator", "action": "save"}).status_code == 302
    asked = post_form(client, url, {"role": "coordinator", "action": "deactivate"})
    assert asked.status_code == 200 and "Deactivate Jānis Staff in" in asked.get_data(as_text=True)
    with tenant_scope(world.jelgava):
        assert db.session.get(Membership, membership_id).active  # nothing changes before the confirmation
    assert post_form(client, url, {"role": "coordinator", "action": "deactivate", "confirmed": "yes"}).status_code == 302
    with tenant_scope(world.jelgava):
        membership = db.session.get(Membership, membership_id)
        assert (membership.role, membership.active) == (Role.COORDINATOR, False)
    staff = client.__class__(client.application)
    log_in(staff, "staff@jelgava.example")
    assert staff.get("/t/jelgava/").status_code == 404


def test_a_coordinator_cannot_deactivate_themselves(world, client):
    log_in(client, "coordinator@jelgava.example")
    with tenant_scope(world.jelgava):
        own = db.session.scalar(sa.select(Membership.id).where(Membership.user_id == world.coordinator.id))
    response = post_form(client, f"/t/jelgava/users/{own}", {"role": "coordinator", "action": "deactivate", "confirmed": "yes"})
    assert response.status_code == 422
    assert "You cannot change your own role" in response.get_data(as_text=True)


def test_staff_may_not_manage_users(world, client):
    log_in(client, "staff@jelgava.example")
    assert client.get("/t/jelgava/users/invite").status_code == 403
    assert client.get("/t/jelgava/users/").status_code == 403


def test_the_project_lead_sees_every_partner_but_manages_none(world, client):
    log_in(client, "lead@pasvalys.example")
    dashboard = client.get("/").get_data(as_text=True)
    assert "Jelgava Municipality" in dashboard and "Pasvalys District Municipality" in dashboard
    assert client.get("/t/jelgava/users/").status_code == 200
    assert client.get("/t/jelgava/users/invite").status_code == 403


def test_changes_to_users_and_memberships_are_in_the_audit_log(world, client):
    log_in(client, "coordinator@jelgava.example")
    post_form(client, "/t/jelgava/users/invite", {"email": "audited@example.lv", "name": "Audited", "role": "staff"})
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.actor_id == world.coordinator.id)).all()
    created = {(entry.object_type, entry.action) for entry in entries}
    assert ("User", "create") in created and ("Membership", "create") in created
    membership_entry = next(entry for entry in entries if entry.object_type == "Membership")
    assert membership_entry.tenant_id == world.jelgava.id
    assert membership_entry.changes["role"] == "staff"


def test_password_changes_are_audited_without_the_hash(world, client):
    log_in(client, "staff@jelgava.example")
    response = post_form(client, "/profile/password", {"current_password": PASSWORD, "password": "another long secret", "confirm": "another long secret"}, page="/profile")
    assert response.status_code == 302
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "User", AuditEntry.action == "update")).all()[-1]
    assert entry.changes["password_hash"] == "***"
    assert client.get("/profile").status_code == 200  # this session stays


def test_a_post_without_a_csrf_token_is_refused(world, client):
    log_in(client, "coordinator@jelgava.example")
    response = client.post("/t/jelgava/users/invite", data={"email": "x@example.lv", "name": "X", "role": "staff"})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_every_response_carries_the_security_headers(world, client):
    for url in ["/login", "/healthz", "/api/v1/openapi.json", "/nope"]:
        headers = client.get(url).headers
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    log_in(client, "staff@jelgava.example")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_the_health_check_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
