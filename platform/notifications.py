"""Telling users that something waits for them: the one way for features to notify, through the mail outbox.

A feature calls `notify(users, kind, subject, template, link, **context)` in the transaction of the change
(expenditure submitted, a budget draft to approve, an item verified...). Each recipient gets the text in their
own language, kept as a `notification` row, and, as they chose in their profile, either a mail queued at once
(`bibnet.mail.send`, same transaction: a rolled-back change sends nothing) or one daily digest gathering all
their pending notifications (the `notifications.digest` job). Rows hold personal data (names in the text):
they are deleted `NOTIFICATION_RETENTION_DAYS` after they were mailed (a retention entry).
"""
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from bibnet import mail
from bibnet.accounts.models import Membership, NotificationDelivery, Role, User
from bibnet.accounts.services import language_of as users_language
from bibnet.db import GlobalModel, Model, utcnow
from bibnet.extensions import db
from bibnet.tenancy.models import ProjectLead

# The digest is a daily job, sent once a morning at this hour (JOBS_TIMEZONE); what it mailed is marked.
DIGEST_AT = time(7, 0)


class Notification(GlobalModel, Model):
    """One thing a user was told of, in their language; `mailed_at` is empty while it waits for the digest."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(60))  # e.g. "expenditure.submitted", for tests and statistics
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(index=True)


def language_of(user: User) -> str:
    return users_language(user, default=current_app.config["BABEL_DEFAULT_LOCALE"])


def notify(users: Iterable[User], kind: str, subject, template: str, link: str = "", **context) -> list[Notification]:
    """Tell each active user (once, however often they are listed) in their own language: `subject` is a lazy
    string, `template` the plain-text body rendered with `user`, `link` and `context`. Queued in the caller's
    transaction; the caller commits."""
    now = utcnow()
    notified = []
    for user in {user.id: user for user in users if user.active}.values():
        locale = language_of(user)
        with force_locale(locale):
            subject_text = str(subject)[:300]
            body = render_template(template, user=user, link=link, **context)
        immediate = user.notification_delivery is NotificationDelivery.IMMEDIATE
        notification = Notification(user_id=user.id, kind=kind, subject=subject_text, body=body, link=link, created_at=now, mailed_at=now if immediate else None)
        db.session.add(notification)
        if immediate:
            mail.send(user.email, subject_text, "mail/notification.txt", locale, user=user, body=body, link=link)
        notified.append(notification)
    db.session.flush()
    return notified


def project_leads(project_id: int) -> list[User]:
    """The active leads of a project: they approve budgets and verify expenditure."""
    return list(db.session.scalars(
        sa.select(User).join(ProjectLead, ProjectLead.user_id == User.id).where(ProjectLead.project_id == project_id, User.active).order_by(User.id)
    ))


def coordinators() -> list[User]:
    """The active coordinators of the current tenant (the guard scopes memberships to it)."""
    return list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id).where(Membership.role == Role.COORDINATOR, Membership.active, User.active).order_by(User.id)
    ))


def send_digests(now: datetime) -> int:
    """The job: one mail per user gathering every notification not mailed yet (those of digest readers, and of a
    user who went back to a mail each time since); each user's mail and the marking of what it gathered commit
    together, so a second run sends nothing again."""
    waiting = db.session.execute(
        sa.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(Notification.mailed_at.is_(None))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in waiting:
        by_user.setdefault(user.id, (user, []))[1].append(notification)
    sent = 0
    for user, gathered in by_user.values():
        if user.active:
            locale = language_of(user)
            mail.send(user.email, _l("BibNet: your daily digest"), "mail/digest.txt", locale, user=user, notifications=gathered)
            sent += 1
        for notification in gathered:
            notification.mailed_at = now
        db.session.commit()
    return sent


def erase_mailed(now: datetime) -> int:
    """Delete notifications mailed more than `NOTIFICATION_RETENTION_DAYS` ago: their text names people."""
    before = now - timedelta(days=current_app.config["NOTIFICATION_RETENTION_DAYS"])
    result = db.session.execute(sa.delete(Notification).where(Notification.mailed_at < before))
    db.session.commit()
    return result.rowcount


def init_app(app) -> None:
    from flask_babel import ngettext

    from bibnet import jobs, retention

    jobs.register(app, "notifications.digest", timedelta(days=1), lambda now: f"sent {send_digests(now)} daily digest(s)", at=DIGEST_AT)
    retention.register(app, retention.Retention(
        name="notifications",
        data=_l("Notifications of work waiting for you: their text and link"),
        purpose=_l("Telling you by e-mail, at once or in a daily digest, what waits for you"),
        legal_basis=_l("Public task (GDPR Art. 6(1)(e))"),
        period=lambda days: ngettext("Deleted %(num)d day after it was mailed", "Deleted %(num)d days after it was mailed", days),
        days_setting="NOTIFICATION_RETENTION_DAYS",
        erase=erase_mailed,
    ))
