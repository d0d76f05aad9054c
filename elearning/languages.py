"""Which language a learner reads: their own, else their library's, else any the text has; and whether that fell back."""
from dataclasses import dataclass

from flask import current_app, g
from flask_babel import get_locale

from bibnet.elearning.models import Texts


@dataclass(frozen=True)
class Chosen:
    text: str
    locale: str | None  # None: the text exists in no language
    wanted: str  # the learner's language

    @property
    def fell_back(self) -> bool:
        return self.locale is not None and self.locale != self.wanted


def preferred_locales() -> list[str]:
    """The learner's interface language, the tenant's language, then every other language of the platform."""
    order = [str(get_locale())]
    tenant = g.get("tenant")
    if tenant is not None:
        order.append(tenant.default_locale)
    order += list(current_app.config["LOCALES"])
    return list(dict.fromkeys(order))


def available(texts: Texts | None) -> list[str]:
    return [locale for locale, text in (texts or {}).items() if text and text.strip()]


def choose(texts: Texts | None, order: list[str] | None = None) -> Chosen:
    order = order or preferred_locales()
    present = available(texts)
    for locale in order:
        if locale in present:
            return Chosen(texts[locale], locale, order[0])
    if present:
        return Chosen(texts[present[0]], present[0], order[0])
    return Chosen("", None, order[0])


def text(texts: Texts | None) -> str:
    """The text to show (templates: `{{ course.title|in_language }}`)."""
    return choose(texts).text
