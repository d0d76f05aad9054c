"""The mail outbox: mail is queued in the transaction of the change that causes it and delivered by the job
runner, so a rolled-back change sends nothing and a failing mail server loses nothing."""
from datetime import timedelta
import logging
from pathlib import Path
import socket
import socketserver
import threading

import pytest
import sqlalchemy as sa

from bibnet import mail
from bibnet.accounts import services
from bibnet.accounts.models import Role
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.mail import QueuedMail
from bibnet.tenancy.context import tenant_scope

from conftest import deliver_queued_mail


def queue_a_reset_mail(make_user, email="anna@example.lv"):
    user = make_user(email=email, name="Anna")
    mail.send(user.email, "Reset your BibNet password", "mail/password_reset.txt", locale="en", user=user, link="http://localhost/reset")
    return user


def delivered_files(app) -> list[Path]:
    folder = Path(app.config["MAIL_OUTBOX"])
    return list(folder.glob("*.eml")) if folder.exists() else []


def queued() -> list[QueuedMail]:
    db.session.expire_all()
    return db.session.scalars(sa.select(QueuedMail).order_by(QueuedMail.id)).all()


@pytest.fixture
def refusing_smtp_server(app, monkeypatch):
    """SMTP pointed at a port of 127.0.0.1 where nothing listens: every connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", port)
    return port


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib to deliver one message per connection."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith(b"DATA"):
                self.wfile.write(b"354 go on\r\n")
                data = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.received.append(data.decode())
                self.wfile.write(b"250 queued\r\n")
            elif command.startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, MAIL FROM, RCPT TO, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1 that keeps what it receives in `.received`."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", server.server_address[1])
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    yield server
    server.shutdown()
    server.server_close()


def test_a_message_is_a_row_of_the_transaction_and_leaves_only_when_the_runner_delivers_it(app, make_user):
    queue_a_reset_mail(make_user)
    assert deliver_queued_mail(app) == 0  # not committed yet: the runner does not see it
    db.session.commit()
    assert delivered_files(app) == []
    assert deliver_queued_mail(app) == 1
    (file,) = delivered_files(app)
    assert "anna@example.lv" in file.read_text()
    (row,) = queued()
    assert row.sent_at is not None and row.next_attempt_at is None and row.attempts == 1


def test_a_rolled_back_change_sends_nothing(app, make_user):
    queue_a_reset_mail(make_user)
    db.session.rollback()
    assert deliver_queued_mail(app) == 0
    assert queued() == [] and delivered_files(app) == []


def test_delivering_twice_sends_once(app, make_user):
    queue_a_reset_mail(make_user)
    db.session.commit()
    assert deliver_queued_mail(app) == 1
    assert deliver_queued_mail(app) == 0
    assert len(delivered_files(app)) == 1


def test_an_invitation_is_queued_with_the_membership_and_rolled_back_with_it(app, world):
    with app.test_request_context(), tenant_scope(world.jelgava):
        membership, _created = services.add_member(world.jelgava, "new.colleague@example.lv", "New Colleague", Role.STAFF)
        services.send_invitation(membership, world.coordinator)
        assert [row.recipient for row in db.session.new if isinstance(row, QueuedMail)] == ["new.colleague@example.lv"]
        db.session.rollback()
    assert deliver_queued_mail(app) == 0
    assert queued() == []


class TestAFailingMailServer:
    def test_keeps_the_mail_queued_with_a_later_next_try(self, app, make_user, refusing_smtp_server):
        queue_a_reset_mail(make_user)
        db.session.commit()
        before = utcnow()
        assert deliver_queued_mail(app) == 0
        (row,) = queued()
        assert row.sent_at is None and row.attempts == 1
        assert row.next_attempt_at >= before + mail.FIRST_RETRY
        assert "ConnectionRefusedError" in row.last_error

    def test_is_tried_again_only_when_the_next_try_is_due_and_waits_longer_each_time(self, app, make_user, refusing_smtp_server):
        queue_a_reset_mail(make_user)
        db.session.commit()
        with app.app_context():
            mail.deliver_queued()
        (row,) = queued()
        first_wait = row.next_attempt_at - utcnow()
        with app.app_context():
            assert mail.deliver_queued() == 0  # not due yet: no attempt
        assert queued()[0].attempts == 1
        with app.app_context():
            mail.deliver_queued(now=row.next_attempt_at)
        (row,) = queued()
        assert row.attempts == 2 and row.next_attempt_at - utcnow() > first_wait

    def test_the_mail_leaves_once_the_server_is_back(self, app, make_user, refusing_smtp_server, request):
        queue_a_reset_mail(make_user)
        db.session.commit()
        deliver_queued_mail(app)
        server = request.getfixturevalue("smtp_server")  # listening now, on another port
        with app.app_context():
            assert mail.deliver_queued(now=utcnow() + timedelta(hours=1)) == 1
        (received,) = server.received
        assert "To: anna@example.lv" in received and "/reset" in received
        (row,) = queued()
        assert row.attempts == 2 and row.sent_at is not None and row.last_error is None

    def test_gives_up_after_the_last_attempt_and_logs_it(self, app, make_user, refusing_smtp_server, monkeypatch, caplog):
        monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
        queue_a_reset_mail(make_user)
        db.session.commit()
        later = utcnow() + timedelta(days=1)
        with app.app_context(), caplog.at_level(logging.ERROR, logger="bibnet.mail"):
            mail.deliver_queued()
            mail.deliver_queued(now=later)
        (row,) = queued()
        assert row.attempts == 2 and row.gave_up_at is not None and row.next_attempt_at is None
        assert "gave up" in caplog.text
        with app.app_context():
            assert mail.deliver_queued(now=later + timedelta(days=1)) == 0
        assert queued()[0].attempts == 2


class TestLinksInMail:
    """A message links to pages by absolute address: from the request's host, or from PUBLIC_URL when a job sends
    it (a job has no request); without either it goes without the link rather than with a wrong one."""

    def test_within_a_request_the_link_takes_the_requests_host(self, app):
        with app.test_request_context(base_url="https://library.example.lv"):
            assert mail.link("accounts.login") == "https://library.example.lv/login"

    def test_a_job_links_through_the_public_address(self, app, app_context, monkeypatch):
        monkeypatch.setitem(app.config, "PUBLIC_URL", "https://bibnet.example.eu/app")
        assert mail.link("accounts.login") == "https://bibnet.example.eu/app/login"

    def test_a_job_without_the_public_address_gives_no_link(self, app, app_context, monkeypatch):
        monkeypatch.setitem(app.config, "PUBLIC_URL", "")
        assert mail.link("accounts.login") == ""
