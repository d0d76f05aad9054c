"""Language and time zone choice, and locale-aware formatting for templates.

Language chain: the user's own choice (profile, or the switcher before log-in) → for a signed-in user, the
default of their first library, the same on every page → for anyone else, the tenant's default → the browser's
Accept-Language → English.
"""
from decimal import Decimal

from babel import Locale
from babel import dates as babel_dates
from flask import current_app, g, has_request_context, request, session
from flask_babel import format_currency, format_decimal, get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user

from bibnet.web.charts import axis_ticks
from bibnet.web.menu import tenant_menu
from bibnet.web.panels import header_projects

# Each language named in itself, for the switcher (WCAG 3.1.2: marked with its own lang).
LANGUAGE_NAMES = {"en": "English", "lv": "Latviešu", "lt": "Lietuvių"}


ROLE_LABELS = {
    "coordinator": _l("Partner coordinator"),
    "staff": _l("Library staff"),
    "lead": _l("Project lead"),
    "admin": _l("Platform administrator"),
}


def role_label(role) -> str:
    return str(ROLE_LABELS[getattr(role, "value", role)])


def select_locale() -> str:
    locales = current_app.config["LOCALES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.locale in locales:
        return current_user.locale
    if session.get("locale") in locales:
        return session["locale"]
    if current_user.is_authenticated:
        # Not the tenant of the page: the dashboard has none, and the language would change on the way in.
        if session.get("first_library_locale") in locales:  # set at log-in
            return session["first_library_locale"]
        return request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    tenant = g.get("tenant")
    if tenant is not None and tenant.default_locale in locales:
        return tenant.default_locale
    return request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]


# The locale whose conventions format and read dates for each language of the interface. Babel's "en" is
# American (3/31/2026, month first); BibNet is an EU platform, so English uses Ireland's day-month-year.
FORMATTING_LOCALES = {"en": "en_IE"}


def formatting_locale(locale=None) -> Locale:
    """The locale for dates in `locale` (by default the interface language): every date shown or typed goes
    through here, so that English is day-month-year everywhere (pages, forms, reports)."""
    language = str(locale or get_locale())
    return Locale.parse(FORMATTING_LOCALES.get(language, language))


def format_date(day, format="medium") -> str:
    """A date in the interface language with its day-month-year conventions (the templates' `date` filter)."""
    return babel_dates.format_date(day, format, locale=formatting_locale())


def format_datetime(moment, format="medium") -> str:
    """A moment in the tenant's time zone, formatted like `format_date` (the templates' `datetime` filter)."""
    return babel_dates.format_datetime(moment, format, tzinfo=get_timezone(), locale=formatting_locale())


def remember_first_library_language(user) -> None:
    """At log-in: keep the default language of the library the user joined first in the session. A signed-in
    user who chose no language reads every page in it, at no query per request."""
    session["first_library_locale"] = _first_library_language(user)


def _first_library_language(user) -> str | None:
    from bibnet.accounts.services import memberships_of  # the accounts package imports the web helpers

    memberships = memberships_of(user)
    return min(memberships, key=lambda membership: membership.id).tenant.default_locale if memberships else None


def select_timezone() -> str:
    tenant = g.get("tenant") if has_request_context() else None
    return tenant.timezone if tenant is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def money(amount: Decimal, currency: str = "EUR") -> str:
    """124 562,30 € in lv and lt, €124,562.30 in en."""
    return format_currency(amount, currency)


def _escape_lazy_strings(value):
    """Jinja `finalize`: a lazy translation is turned into a plain string, so that autoescaping applies.

    Flask-Babel's LazyString declares itself safe HTML (`__html__`), which would print values
    interpolated into it, like a closure reason typed by a user, unescaped.
    """
    return str(value) if isinstance(value, LazyString) else value


def init_app(app) -> None:
    app.jinja_env.finalize = _escape_lazy_strings
    app.jinja_env.filters.update(
        money=money,
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
    )
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES, get_locale=get_locale, role_label=role_label, tenant_menu=tenant_menu,
        header_projects=header_projects, chart_ticks=axis_ticks,
    )
