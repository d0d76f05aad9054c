"""Sending e-mail through an outbox table: `send` queues a message as a row in the transaction of the change
that causes it, and the job runner delivers queued rows (`deliver_queued`). A rolled-back change therefore
sends nothing, and a failed delivery loses nothing: the row stays, with its attempts and next try.

Delivery writes each message to `MAIL_OUTBOX` (a folder of .eml files) in development and tests, and uses
SMTP in production. Rows hold personal data (addresses, names in the text): sent rows are erased after
`MAIL_SENT_RETENTION_DAYS` (a retention entry), rows given up after `MAIL_MAX_ATTEMPTS` with them.
"""
from datetime import datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import make_msgid
import logging
from pathlib import Path
import smtplib

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet.db import GlobalModel, Model, utcnow
from bibnet.extensions import db

log = logging.getLogger("bibnet.mail")

# The wait before the next try after `attempts` failures: 1, 2, 4, 8... minutes, at most six hours.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def link(endpoint: str, **values) -> str:
    """An absolute link for a message: from the request's host when there is a request, else from `PUBLIC_URL`
    (jobs and commands send mail too); empty when neither is known, and the message then goes without it."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    public_url = current_app.config.get("PUBLIC_URL")
    if not public_url:
        return ""
    with current_app.test_request_context(base_url=public_url):  # Flask's way to build URLs without a request
        return url_for(endpoint, _external=True, **values)


class QueuedMail(GlobalModel, Model):
    """One message in the outbox: waiting (`sent_at` empty, `next_attempt_at` set), sent, or given up."""

    __tablename__ = "queued_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    message: Mapped[str] = mapped_column(sa.Text)  # the whole rendered message, headers included
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)  # empty once sent or given up
    sent_at: Mapped[datetime | None]
    gave_up_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))


def send(to: str, subject, template: str, locale: str | None = None, **context) -> EmailMessage:
    """Render `template` (plain text) in the recipient's language and queue it in the current transaction:
    it leaves when the job runner delivers the outbox after the commit, and never if the change rolls back."""
    with force_locale(locale or "en"):
        message = EmailMessage()
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = to
        message["Subject"] = str(subject)  # a lazy string, translated here
        message["Message-ID"] = make_msgid(domain="bibnet")
        message.set_content(render_template(template, **context))
    db.session.add(QueuedMail(recipient=to, message=message.as_string(), next_attempt_at=utcnow()))
    return message


def deliver_queued(now: datetime | None = None) -> int:
    """Deliver every queued message whose time has come, each committed on its own; returns how many left.
    A failure keeps the row with one more attempt and a later next try; after `MAIL_MAX_ATTEMPTS` it is given up."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(QueuedMail.id).where(QueuedMail.next_attempt_at <= now).order_by(QueuedMail.next_attempt_at, QueuedMail.id)
    ).all()
    delivered = 0
    for mail_id in due:
        # Lock the row, skipping one that another runner is delivering right now (PostgreSQL; SQLite has one writer).
        queued = db.session.scalar(
            sa.select(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.next_attempt_at <= now).with_for_update(skip_locked=True)
        )
        if queued is None:
            db.session.rollback()
            continue
        try:
            _transport(message_from_string(queued.message, policy=policy.default))
        except Exception as error:  # any failure of the mail server: keep the mail and try later
            _failed(queued, error, now)
        else:
            queued.attempts += 1
            queued.sent_at, queued.next_attempt_at, queued.last_error = now, None, None
            delivered += 1
        db.session.commit()
    return delivered


def _failed(queued: QueuedMail, error: Exception, now: datetime) -> None:
    queued.attempts += 1
    queued.last_error = f"{type(error).__name__}: {error}"[:500]
    if queued.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        queued.next_attempt_at, queued.gave_up_at = None, now
        log.error("gave up mail %s to %s after %d attempts: %s", queued.id, queued.recipient, queued.attempts, queued.last_error)
    else:
        queued.next_attempt_at = now + min(FIRST_RETRY * 2 ** (queued.attempts - 1), LONGEST_WAIT)
        log.warning("could not deliver mail %s (attempt %d), next try at %s: %s", queued.id, queued.attempts, queued.next_attempt_at, queued.last_error)


def _transport(message: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "outbox":
        outbox = Path(config["MAIL_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (outbox / f"{name}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)


def erase_finished(now: datetime) -> int:
    """Delete sent and given-up messages older than `MAIL_SENT_RETENTION_DAYS`: they hold personal data."""
    before = now - timedelta(days=current_app.config["MAIL_SENT_RETENTION_DAYS"])
    result = db.session.execute(
        sa.delete(QueuedMail).where(sa.or_(QueuedMail.sent_at < before, QueuedMail.gave_up_at < before))
    )
    db.session.commit()
    return result.rowcount
