"""What the bookings add to the homes: the coordinator's task (requests to approve, registered with the core's
`bibnet.tasks`) and the tenant home's box with today's and this week's sessions (`bibnet.web.panels`)."""
from datetime import time, timedelta

from babel.dates import format_skeleton, format_time
from flask import g, url_for
from flask_babel import ngettext
import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from bibnet import tasks
from bibnet.accounts.models import Membership, Role
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.tasks import Task, Urgency
from bibnet.tenancy.context import all_tenants
from bibnet.tenancy.models import Tenant
from bibnet.tenants.bookings.models import OCCUPYING, Occurrence, Status
from bibnet.tenants.bookings.recurrence import to_local, to_utc
from bibnet.web import panels
from bibnet.web.i18n import format_date, formatting_locale

# The box lists this many sessions of the week at most; the week view has them all.
MAX_LISTED_SESSIONS = 30


def requests_to_approve(user) -> list[Task]:
    """Per library the user coordinates: the requested sessions still to come, in one grouped count."""
    with all_tenants(reason="booking requests waiting for the coordinator's approval, for their home"):
        waiting = db.session.execute(
            sa.select(Tenant.slug, Tenant.name, sa.func.count(Occurrence.id))
            .join(Tenant, Tenant.id == Occurrence.tenant_id)
            .join(Membership, Membership.tenant_id == Occurrence.tenant_id)
            .where(
                Membership.user_id == user.id, Membership.role == Role.COORDINATOR, Membership.active, Tenant.active,
                Occurrence.status == Status.REQUESTED, Occurrence.starts_at >= utcnow(),
            )
            .group_by(Tenant.slug, Tenant.name)
            .order_by(Tenant.name)
        ).all()
    return [
        Task(
            label=ngettext("%(num)d booking request to approve in %(tenant)s", "%(num)d booking requests to approve in %(tenant)s", count, tenant=name),
            count=count,
            url=url_for("bookings.index", tenant_slug=slug, status=Status.REQUESTED.value),
            urgency=Urgency.WAITING,
        )
        for slug, name, count in waiting
    ]


def home_panel_data() -> dict:
    """Today's sessions and the rest of this week's (Monday to Sunday) in the tenant's rooms, with times in its
    time zone, and the number of requests waiting: two queries."""
    zone = g.tenant.timezone
    today = to_local(utcnow(), zone).date()
    week_ends = today + timedelta(days=7 - today.weekday())
    tomorrow_starts = to_utc(today + timedelta(days=1), time(), zone)
    sessions = db.session.scalars(
        sa.select(Occurrence)
        .join(Occurrence.booking)
        .join(Occurrence.room)
        .options(contains_eager(Occurrence.booking), contains_eager(Occurrence.room))
        .where(Occurrence.status.in_(OCCUPYING), Occurrence.starts_at >= to_utc(today, time(), zone), Occurrence.starts_at < to_utc(week_ends, time(), zone))
        .order_by(Occurrence.starts_at, Occurrence.id)
        .limit(MAX_LISTED_SESSIONS + 1)
    ).all()
    requests = db.session.scalar(
        sa.select(sa.func.count(Occurrence.id)).where(Occurrence.status == Status.REQUESTED, Occurrence.starts_at >= utcnow())
    )
    shown = [_session(occurrence, zone) for occurrence in sessions[:MAX_LISTED_SESSIONS]]
    return {
        "today": format_date(today, "full"),
        "today_sessions": [session for session, occurrence in zip(shown, sessions, strict=False) if occurrence.starts_at < tomorrow_starts],
        "later_sessions": [session for session, occurrence in zip(shown, sessions, strict=False) if occurrence.starts_at >= tomorrow_starts],
        "more": len(sessions) > MAX_LISTED_SESSIONS,
        "requests": requests,
    }


def _session(occurrence: Occurrence, zone: str) -> dict:
    starts, ends = to_local(occurrence.starts_at, zone), to_local(occurrence.ends_at, zone)
    return {
        "day": format_skeleton("MMMMEEEEd", starts.date(), locale=formatting_locale()),  # weekday and day, as the language writes them
        "start": format_time(starts, "short", locale=formatting_locale()),
        "end": format_time(ends, "short", locale=formatting_locale()),
        "title": occurrence.booking.title,
        "room": occurrence.room.name,
        "status": occurrence.status,
        "url": url_for("bookings.view", booking_id=occurrence.booking_id),
    }


tasks.register("bookings.requests_to_approve", requests_to_approve)
panels.register_home_panel("bookings/_home_panel.html", home_panel_data, "bookings.view")
