"""Platform admins list, find, create and deactivate users and send password resets, through the same
service as `bibnet user …`."""
from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.accounts.models import User
from bibnet.cli import main
from bibnet.extensions import db

from conftest import PASSWORD, deliver_queued_mail, log_in, post_form

NEW = {"name": "Līga Admin", "email": "liga@bibnet.example", "locale": "lv"}


def bibnet(app, *args):
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def outbox(app) -> list[str]:
    """The mail sent so far: what the job runner delivers from the outbox, as .eml files."""
    deliver_queued_mail(app)
    folder = Path(app.config["MAIL_OUTBOX"])
    return [path.read_text() for path in folder.glob("*.eml")] if folder.exists() else []


def emails() -> list[str]:
    return sorted(db.session.scalars(sa.select(User.email)))


def test_the_list_is_searched_by_name_or_email_and_paginated(world, client):
    log_in(client, world.admin.email)
    body = client.get("/admin/users/?q=jelgava").get_data(as_text=True)
    assert "coordinator@jelgava.example" in body and "staff@jelgava.example" in body and "pasvalys.example" not in body
    assert "Rasa Lead" in client.get("/admin/users/?q=rasa").get_data(as_text=True)
    first = client.get("/admin/users/?per_page=2").get_data(as_text=True)
    assert "Page 1 of 3" in first and "Next page" in first


def test_an_admin_creates_a_user_who_gets_a_link_to_choose_a_password(world, client, app):
    log_in(client, world.admin.email)
    response = post_form(client, "/admin/users/new", NEW | {"is_admin": "y"})
    assert response.status_code == 302
    created = db.session.scalar(sa.select(User).where(User.email == "liga@bibnet.example"))
    assert (created.name, created.locale, created.is_admin, created.password_hash) == ("Līga Admin", "lv", True, None)
    assert any("liga@bibnet.example" in mail for mail in outbox(app))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "COORDINATOR@jelgava.example"}, "email", "already exists"),
        ({"email": "not an address"}, "email", "in the right format"),
        ({"name": ""}, "name", "Enter the person"),
        ({"locale": "de"}, "locale", "Choose one of the languages"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_written(world, client, app, change, field, message):
    log_in(client, world.admin.email)
    before = emails()
    response = post_form(client, "/admin/users/new", NEW | change)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in body and message in body
    assert emails() == before and outbox(app) == []


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [("--email", "coordinator@jelgava.example", "--email: A user with this e-mail address already exists."), ("--email", "not an address", "--email: Enter an e-mail")],
)
def test_the_command_line_refuses_alike(world, app, option, value, message):
    options = {"--email": "liga@bibnet.example", "--name": "Līga", "--password": PASSWORD} | {option: value}
    before = emails()
    result = bibnet(app, "user", "create", *[part for pair in options.items() for part in pair])
    assert result.exit_code != 0 and message in result.output, result.output
    assert emails() == before


def test_a_deactivated_user_cannot_log_in_until_reactivated(world, client, app):
    log_in(client, world.admin.email)
    url = f"/admin/users/{world.staff.id}"
    assert post_form(client, url, {"action": "deactivate"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.staff.id).active is False
    assert post_form(client, url, {"action": "reactivate"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.staff.id).active is True


def test_an_admin_cannot_deactivate_themselves(world, client):
    log_in(client, world.admin.email)
    response = post_form(client, f"/admin/users/{world.admin.id}", {"action": "deactivate"})
    assert response.status_code == 422 and "You cannot deactivate yourself" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.admin.id).active is True


def test_an_admin_sends_a_password_reset(world, client, app):
    log_in(client, world.admin.email)
    assert post_form(client, f"/admin/users/{world.staff.id}", {"action": "reset_password"}).status_code == 302
    assert any("staff@jelgava.example" in mail and "/password/reset/" in mail for mail in outbox(app))
