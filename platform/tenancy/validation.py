"""What a tenant's slug, time zone and language may be: one check for the command line, admin pages and the model.

The slug is the tenant's URL prefix (`/t/<slug>/`), so it is lowercase letters, digits and single hyphens.
The time zone must be one the zone database knows (`Europe/Vilnus` is not): every page that shows a time
computes with it.
"""
from functools import cache
import logging
import re
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l

from bibnet.config import LOCALES

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SLUG_LENGTH = 40  # the column's length
# Where a stored zone is unknown (saved before zones were checked), the country's own zone is used instead.
COUNTRY_ZONES = {"LV": "Europe/Riga", "LT": "Europe/Vilnius"}

log = logging.getLogger(__name__)


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def slug_problems(slug: str) -> list:
    if not SLUG.fullmatch(slug or "") or len(slug) > SLUG_LENGTH:
        return [_l("Use up to %(max)d lowercase letters (a–z), digits and single hyphens, like jelgava or pasvalys-library.", max=SLUG_LENGTH)]
    return []


def zone_problems(zone: str) -> list:
    if zone not in known_zones():
        return [_l("“%(zone)s” is not a time zone. Use a name from the time zone database, like Europe/Riga or Europe/Vilnius.", zone=zone)]
    return []


def locale_problems(locale: str) -> list:
    if locale not in LOCALES:
        return [_l("Choose one of the languages: %(languages)s.", languages=", ".join(LOCALES))]
    return []


def tenant_problems(slug: str, timezone: str, locale: str) -> dict[str, list]:
    """Field name → messages; empty when the tenant may be saved like this."""
    problems = {"slug": slug_problems(slug), "timezone": zone_problems(timezone), "default_locale": locale_problems(locale)}
    return {name: messages for name, messages in problems.items() if messages}


def usable_zone(zone: str, country: str) -> str:
    """The stored zone when the zone database knows it, else the country's zone (or UTC), logged once."""
    if zone in known_zones():
        return zone
    return _fallback_zone(zone, country)


@cache  # logged once per process, not on every page that shows a time
def _fallback_zone(zone: str, country: str) -> str:
    fallback = COUNTRY_ZONES.get(country, "UTC")
    log.warning("unknown time zone %r stored for a tenant: %s is used instead; correct it", zone, fallback)
    return fallback
