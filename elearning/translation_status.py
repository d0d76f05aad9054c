"""Which texts of a course exist in which language: the authors' translation-status matrix.

Rows: the course's title and summary, each module's title, each lesson's title, text and easy-read version; a
column per language of the platform. A text is present in a language when it is non-empty there, missing when
another language has it; an optional text (the summary, the easy-read version) that no language has is not
used, which is no gap to fill.
"""
from dataclasses import dataclass
import enum

from flask_babel import lazy_gettext as _l

from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, Texts


class Status(enum.StrEnum):
    PRESENT = "present"
    MISSING = "missing"
    UNUSED = "unused"


@dataclass(frozen=True)
class Row:
    label: str
    cells: dict[str, Status]


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list[Row]


def _row(label, texts: Texts, locales, optional: bool = False) -> Row:
    present = {locale for locale, value in (texts or {}).items() if value and value.strip()}
    if optional and not present:
        return Row(str(label), dict.fromkeys(locales, Status.UNUSED))
    return Row(str(label), {locale: Status.PRESENT if locale in present else Status.MISSING for locale in locales})


def matrix(course: Course, locales) -> list[Group]:
    groups = [Group(str(_l("The course")), [
        _row(_l("Title"), course.title, locales), _row(_l("Summary"), course.summary, locales, optional=True),
    ])]
    for number, module in enumerate(course.modules, start=1):
        rows = [_row(_l("Module title"), module.title, locales)]
        for lesson in module.lessons:
            name = text(lesson.title)
            rows += [
                _row(_l("%(lesson)s: title", lesson=name), lesson.title, locales),
                _row(_l("%(lesson)s: text", lesson=name), lesson.content, locales),
                _row(_l("%(lesson)s: easy-read version", lesson=name), lesson.easy_read, locales, optional=True),
            ]
        groups.append(Group(str(_l("Module %(number)d: %(title)s", number=number, title=text(module.title))), rows))
    return groups


def missing_counts(groups: list[Group], locales) -> dict[str, int]:
    return {locale: sum(row.cells[locale] is Status.MISSING for group in groups for row in group.rows) for locale in locales}
