"""Writing courses: the only code that creates or changes course content. Pages of a library's coordinators and
of a project's lead call it alike; who may call it is decided by the permissions (`bibnet.elearning`).

Every check comes first and raises `Refused` with the field that is wrong ("title_lv", "content_en"); nothing
is changed then. A published course stays published when edited, and its learners keep their progress.
"""
from flask_babel import lazy_gettext as _l

from bibnet.db import utcnow
from bibnet.elearning.content import accessibility_problems
from bibnet.elearning.media import kinds_of_course
from bibnet.elearning.models import Course, CourseMedia, CourseModule, CourseStatus, Lesson, MediaKind, Texts
from bibnet.extensions import db
from bibnet.refusals import Refused, refuse_if_any

TITLE_LENGTH = 200
SUMMARY_LENGTH = 2000
CONTENT_LENGTH = 100_000

TITLE_NEEDED = _l("Give a title in at least one language.")
TITLE_TOO_LONG = _l("Keep the title to %(max)d characters.", max=TITLE_LENGTH)
SUMMARY_TOO_LONG = _l("Keep the summary to %(max)d characters.", max=SUMMARY_LENGTH)
CONTENT_TOO_LONG = _l("Keep the lesson to %(max)d characters; split a longer one into several lessons.", max=CONTENT_LENGTH)
CONTENT_WITHOUT_TITLE = _l("A lesson text needs its title in the same language.")
NOTHING_TO_PUBLISH = _l("Add at least one lesson before publishing the course.")
EASY_READ_TOO_LONG = _l("Keep the easy-read text to %(max)d characters.", max=SUMMARY_LENGTH)
NOT_AN_AUDIO = _l("Choose an audio file of this course for the audio version.")
CANNOT_MOVE = _l("It is already at that end of the list.")


def _cleaned(texts: Texts) -> Texts:
    return {locale: text.strip() for locale, text in texts.items() if text and text.strip()}


def _check_texts(errors: dict, name: str, texts: Texts, limit: int, too_long) -> None:
    for locale, text in texts.items():
        if len(text) > limit:
            errors.setdefault(f"{name}_{locale}", []).append(too_long)


def _check_title(errors: dict, titles: Texts, first_locale: str) -> None:
    if not titles:
        errors.setdefault(f"title_{first_locale}", []).append(TITLE_NEEDED)
    _check_texts(errors, "title", titles, TITLE_LENGTH, TITLE_TOO_LONG)


def save_course(course: Course, titles: Texts, summaries: Texts, first_locale: str = "en") -> Course:
    titles, summaries = _cleaned(titles), _cleaned(summaries)
    errors: dict[str, list] = {}
    _check_title(errors, titles, first_locale)
    _check_texts(errors, "summary", summaries, SUMMARY_LENGTH, SUMMARY_TOO_LONG)
    refuse_if_any(errors)
    course.title, course.summary = titles, summaries
    return course


def save_module(module: CourseModule, titles: Texts, first_locale: str = "en") -> CourseModule:
    titles = _cleaned(titles)
    errors: dict[str, list] = {}
    _check_title(errors, titles, first_locale)
    refuse_if_any(errors)
    module.title = titles
    if module.id is None:
        module.position = 1 + max((other.position for other in module.course.modules if other is not module), default=0)
        db.session.add(module)
    return module


def save_lesson(
    lesson: Lesson, titles: Texts, contents: Texts, required: bool, estimated_minutes: int, first_locale: str = "en",
    easy_read: Texts | None = None, audio: CourseMedia | None = None,
) -> Lesson:
    """A lesson's texts (the lesson and its easy-read version) are refused when media break an accessibility rule
    or name a file the course does not have, naming the rule and the language. The audio version is one of the
    course's audio files; the lesson text is its transcript."""
    titles, contents, easy_read = _cleaned(titles), _cleaned(contents), _cleaned(easy_read or {})
    course_id = lesson.module.course.id
    media = kinds_of_course(course_id)
    errors: dict[str, list] = {}
    _check_title(errors, titles, first_locale)
    _check_texts(errors, "content", contents, CONTENT_LENGTH, CONTENT_TOO_LONG)
    _check_texts(errors, "easy_read", easy_read, SUMMARY_LENGTH, EASY_READ_TOO_LONG)
    for name, texts in (("content", contents), ("easy_read", easy_read)):
        for locale, text in texts.items():
            if locale not in titles:
                errors.setdefault(f"title_{locale}", []).append(CONTENT_WITHOUT_TITLE)
            for problem in accessibility_problems(text, media):
                errors.setdefault(f"{name}_{locale}", []).append(problem)
    if audio is not None and (audio.course_id != course_id or audio.kind is not MediaKind.AUDIO):
        errors.setdefault("audio", []).append(NOT_AN_AUDIO)
    refuse_if_any(errors)
    lesson.title, lesson.content, lesson.easy_read, lesson.audio = titles, contents, easy_read, audio
    lesson.required, lesson.estimated_minutes = required, estimated_minutes
    if lesson.id is None:
        lesson.position = 1 + max((other.position for other in lesson.module.lessons if other is not lesson), default=0)
        db.session.add(lesson)
    return lesson


def move(siblings: list, item, step: int) -> None:
    """One place up (step -1) or down (+1) among its siblings (a course's modules, a module's lessons); positions
    are renumbered 1, 2, 3… Progress is kept by lesson id, so nobody's progress changes."""
    ordered = sorted(siblings, key=lambda sibling: (sibling.position, sibling.id))
    index = ordered.index(item)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        raise Refused(detail=CANNOT_MOVE, status=409)
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered, start=1):
        sibling.position = position


def publish(course: Course) -> None:
    if not any(module.lessons for module in course.modules):
        raise Refused(detail=NOTHING_TO_PUBLISH, status=409)
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or utcnow()
