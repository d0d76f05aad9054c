"""A library's public programmes as an iCal feed (RFC 5545), at `/p/<library_slug>/programmes.ics`: one VEVENT
per session, in the library's time zone (with its VTIMEZONE, so a 10:00 club stays at 10:00 across the daylight
saving switch), a cancelled session kept as STATUS:CANCELLED so that subscribed calendars drop it. Only what the
public pages show: the programme's title, when, where (a room's name, an address, "Online") and its page."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import url_for

PRODID = "-//BibNet//Library programmes//EN"


def programmes_calendar(library, sessions: list, now: datetime):
    """The VCALENDAR (an icalendar Calendar) of `library` (a PublicLibrary) with `sessions` (FeedSession of the public module)."""
    from icalendar import Calendar, Event, Timezone  # on the first feed, not at start

    zone = ZoneInfo(library.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", library.name)
    calendar.add("x-wr-timezone", library.timezone)
    days = [now.date()] + [feed.session.starts_at.date() for feed in sessions] + [feed.session.ends_at.date() for feed in sessions]
    calendar.add_component(Timezone.from_tzinfo(zone, first_date=min(days) - timedelta(days=1), last_date=max(days) + timedelta(days=2)))
    for feed in sessions:
        event = Event()
        event.add("uid", f"programme-session-{feed.session_id}@bibnet")
        event.add("dtstamp", now)
        event.add("dtstart", feed.session.starts_at)
        event.add("dtend", feed.session.ends_at)
        event.add("summary", feed.title)
        if feed.session.place:
            event.add("location", feed.session.place)
        event.add("url", url_for("programmes_public.programme", library_slug=library.slug, public_programme_id=feed.programme_id, _external=True))
        event.add("status", "CANCELLED" if feed.session.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar
