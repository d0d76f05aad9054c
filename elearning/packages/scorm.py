"""SCORM 1.2: reading a package's manifest, importing the package as one lesson, and the runtime data its SCO stores.

A package is imported only when it is SCORM 1.2 with exactly one SCO (one launchable resource): it becomes one
lesson. The manifest is parsed with defusedxml without DTDs (`bibnet.archives.parse_xml`).

The runtime data model is the part of SCORM 1.2's `cmi` that a lesson needs: status, score, location, suspend
data and session time. `check_values` checks what the SCO sends against SCORM 1.2's data types and vocabularies
and refuses anything else with the element's name; `record` keeps it for the learner and, when the status is
passed or completed, records the lesson as done (`learning.mark_done`).
"""
from decimal import Decimal, InvalidOperation
import hashlib
import hmac
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.archives import ArchiveRefused, parse_xml
from bibnet.db import utcnow
from bibnet.elearning import authoring, learning
from bibnet.elearning.models import CourseModule, Lesson
from bibnet.elearning.packages import files
from bibnet.elearning.packages.models import ScormAttempt, ScormPackage
from bibnet.extensions import db
from bibnet.refusals import Refused

MANIFEST = "imsmanifest.xml"
STATUSES = ("passed", "completed", "failed", "incomplete", "browsed")  # what a SCO may set
DONE_STATUSES = frozenset({"passed", "completed"})
EXITS = ("time-out", "suspend", "logout", "")
SUSPEND_DATA_LENGTH = 4096  # CMIString4096
LOCATION_LENGTH = 255  # CMIString255
_TIMESPAN = re.compile(r"^(\d{2,4}):([0-5]\d):([0-5]\d)(\.\d{1,2})?$")  # CMITimespan: HHHH:MM:SS.SS
_DECIMAL = re.compile(r"^-?\d{1,10}(\.\d{1,10})?$")

# What the SCO may write, and what it may read; anything else is refused (SCORM error 401, not implemented).
WRITABLE = frozenset({
    "cmi.core.lesson_status", "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max",
    "cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.session_time", "cmi.core.exit",
})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace prefix and case (adlcp:scormtype, adlcp:scormType)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return None


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _descendants(element, name: str):
    return [found for found in element.iter() if _local(found.tag) == name]


def _refuse(message):
    raise ArchiveRefused(message)


class Manifest:
    """What BibNet takes from imsmanifest.xml: the title, the SCO's launch file and its mastery score."""

    def __init__(self, title: str, launch: str, mastery_score: int | None):
        self.title, self.launch, self.mastery_score = title, launch, mastery_score


def read_manifest(data: bytes, names: set[str]) -> Manifest:
    """The manifest's SCO, checked against the package's file names; refused with the reason otherwise."""
    root = parse_xml(data, MANIFEST)
    if _local(root.tag) != "manifest":
        _refuse(_l("The archive was refused: imsmanifest.xml is not an IMS content package manifest."))
    versions = [(found.text or "").strip() for found in _descendants(root, "schemaversion")]
    if versions and not any(version.startswith("1.2") for version in versions):
        _refuse(_l("The package is SCORM %(version)s; BibNet plays SCORM 1.2 packages.", version=versions[0][:20]))
    scos = [resource for resource in _descendants(root, "resource") if (_attribute(resource, "scormtype") or "").lower() == "sco"]
    if len(scos) != 1:
        _refuse(_l("The package has %(count)d SCOs; BibNet imports a SCORM package with exactly one SCO as one lesson.", count=len(scos)))
    sco = scos[0]
    href = (_attribute(sco, "href") or "").strip()
    base = (_attribute(sco, "base") or "").strip()
    launch = base + href
    if not href or launch.split("?", 1)[0] not in names:
        _refuse(_l("The archive was refused: the SCO's launch file %(name)s is not in the package.", name=launch[:200] or "?"))
    item = next((found for found in _descendants(root, "item") if _attribute(found, "identifierref") == _attribute(sco, "identifier")), None)
    title = _title_of(item) or _title_of(next(iter(_descendants(root, "organization")), None)) or launch
    mastery = None
    if item is not None:
        found = next(iter(_descendants(item, "masteryscore")), None)
        if found is not None and (found.text or "").strip():
            try:
                mastery = int(Decimal(found.text.strip()))
            except (InvalidOperation, ValueError):
                mastery = None
            if mastery is not None and not 0 <= mastery <= 100:
                mastery = None
    return Manifest(title[: authoring.TITLE_LENGTH], launch, mastery)


def _title_of(element) -> str:
    if element is None:
        return ""
    found = _children(element, "title")
    return (found[0].text or "").strip() if found else ""


def add_lesson(module: CourseModule, manifest: Manifest, package_files: dict[str, bytes], locale: str, title: str | None = None,
               required: bool = True, minutes: int = 0) -> Lesson:
    """A new lesson of the module that plays the package; its files go into the course's storage."""
    lesson = Lesson(module=module)
    authoring.save_lesson(lesson, {locale: title or manifest.title}, {}, required, minutes, locale)
    attach(lesson, manifest, package_files)
    return lesson


def attach(lesson: Lesson, manifest: Manifest, package_files: dict[str, bytes]) -> ScormPackage:
    """The lesson plays the package from now on; the package's files go into its course's storage."""
    db.session.flush()
    package = ScormPackage(lesson_id=lesson.id, launch=manifest.launch, mastery_score=manifest.mastery_score)
    db.session.add(package)
    db.session.flush()
    for path, data in package_files.items():
        files.store(lesson.module.course_id, package, path, data)
    return package


def package_of(lesson_id: int) -> ScormPackage | None:
    return db.session.scalar(sa.select(ScormPackage).where(ScormPackage.lesson_id == lesson_id))


def packages_of(lesson_ids) -> dict[int, ScormPackage]:
    ids = list(lesson_ids)
    if not ids:
        return {}
    return {package.lesson_id: package for package in db.session.scalars(sa.select(ScormPackage).where(ScormPackage.lesson_id.in_(ids)))}


# --- The runtime data ------------------------------------------------------------------------------------------

def student_id(user_id: int) -> str:
    """A pseudonymous id: the same for one learner everywhere, telling the SCO (and its author) nothing about who."""
    digest = hmac.new(current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key,
                      f"scorm-student:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"bibnet-{digest[:16]}"


def student_name(name: str) -> str:
    """Initials only, in SCORM's "last, first" order: "Anna Bērziņa" is "B., A."."""
    parts = [part for part in name.split() if part]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"{parts[0][0]}."
    return f"{parts[-1][0]}., {' '.join(part[0] + '.' for part in parts[:-1])}"


def _timespan_seconds(value: str) -> int:
    hours, minutes, seconds, fraction = _TIMESPAN.match(value).groups()
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + (1 if fraction and int(fraction[1:]) else 0)


def timespan(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{min(hours, 9999):04d}:{rest // 60:02d}:{rest % 60:02d}"


def _score_problem(value: str):
    if value == "":
        return None  # CMIBlank: no score
    if not _DECIMAL.match(value):
        return _l("A score must be a number (CMIDecimal) or empty.")
    if not Decimal(0) <= Decimal(value) <= Decimal(100):
        return _l("A score must be from 0 to 100.")
    return None


def check_values(values) -> dict[str, str]:
    """The values the SCO sent, each checked against SCORM 1.2; a refusal names every element that is wrong."""
    if not isinstance(values, dict):
        raise Refused({"values": [_l("Send the values as an object from element name to value.")]})
    errors: dict[str, list] = {}
    checked: dict[str, str] = {}

    def wrong(element, message):
        errors.setdefault(element, []).append(message)

    for element, value in values.items():
        if not isinstance(element, str) or element not in WRITABLE:
            wrong(str(element)[:100], _l("This element cannot be set: BibNet's SCORM 1.2 runtime does not keep it, or it is read only."))
            continue
        if not isinstance(value, str):
            wrong(element, _l("The value must be a string, as SCORM 1.2 sends every value."))
            continue
        if element == "cmi.core.lesson_status" and value not in STATUSES:
            wrong(element, _l("The status must be one of: %(statuses)s.", statuses=", ".join(STATUSES)))
        elif element.startswith("cmi.core.score.") and (problem := _score_problem(value)) is not None:
            wrong(element, problem)
        elif element == "cmi.core.session_time" and not _TIMESPAN.match(value):
            wrong(element, _l("The session time must be a CMITimespan, HHHH:MM:SS.SS (hours of 2 to 4 digits, as in 0001:30:05.5)."))
        elif element == "cmi.core.exit" and value not in EXITS:
            wrong(element, _l("The exit must be time-out, suspend, logout or empty."))
        elif element == "cmi.suspend_data" and len(value) > SUSPEND_DATA_LENGTH:
            wrong(element, _l("The suspend data is longer than %(max)d characters.", max=SUSPEND_DATA_LENGTH))
        elif element == "cmi.core.lesson_location" and len(value) > LOCATION_LENGTH:
            wrong(element, _l("The lesson location is longer than %(max)d characters.", max=LOCATION_LENGTH))
        else:
            checked[element] = value
    if not errors:
        low, high = checked.get("cmi.core.score.min"), checked.get("cmi.core.score.max")
        if low and high and Decimal(low) > Decimal(high):
            wrong("cmi.core.score.min", _l("The minimum score is above the maximum score."))
    if errors:
        raise Refused(errors)
    return checked


def attempt_of(user_id: int, lesson_id: int) -> ScormAttempt | None:
    return db.session.scalar(sa.select(ScormAttempt).where(ScormAttempt.user_id == user_id, ScormAttempt.lesson_id == lesson_id))


def initial_values(attempt: ScormAttempt | None, user) -> dict[str, str]:
    """What the SCO reads at LMSInitialize."""
    values = {
        "cmi.core.student_id": student_id(user.id), "cmi.core.student_name": student_name(user.name or ""),
        "cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio", "cmi.core.credit": "credit",
        "cmi.core.lesson_mode": "normal", "cmi.core.total_time": "0000:00:00", "cmi.core.lesson_location": "",
        "cmi.core.score.raw": "", "cmi.core.score.min": "", "cmi.core.score.max": "", "cmi.suspend_data": "", "cmi.launch_data": "",
    }
    if attempt is not None:
        values.update({
            "cmi.core.lesson_status": attempt.lesson_status, "cmi.core.entry": "resume" if attempt.suspend_data or attempt.lesson_location else "",
            "cmi.core.total_time": timespan(attempt.total_seconds), "cmi.core.lesson_location": attempt.lesson_location,
            "cmi.core.score.raw": attempt.score_raw, "cmi.core.score.min": attempt.score_min, "cmi.core.score.max": attempt.score_max,
            "cmi.suspend_data": attempt.suspend_data,
        })
    return values


def record(user, course, lesson, values: dict, finish: bool) -> tuple[ScormAttempt, bool]:
    """Keep the checked values for the learner; a passed or completed status records the lesson as done.
    Returns the attempt and whether the course was completed by it. The caller commits."""
    checked = check_values(values)
    attempt = attempt_of(user.id, lesson.id)
    if attempt is None:
        attempt = ScormAttempt(user_id=user.id, lesson_id=lesson.id)
        db.session.add(attempt)
    fields = {
        "cmi.core.lesson_status": "lesson_status", "cmi.core.score.raw": "score_raw", "cmi.core.score.min": "score_min",
        "cmi.core.score.max": "score_max", "cmi.core.lesson_location": "lesson_location", "cmi.suspend_data": "suspend_data",
    }
    for element, name in fields.items():
        if element in checked:
            setattr(attempt, name, checked[element])
    if "cmi.core.session_time" in checked:
        attempt.total_seconds = (attempt.total_seconds or 0) + _timespan_seconds(checked["cmi.core.session_time"])
    if finish:
        attempt.finished_at = utcnow()
    completed = False
    if checked.get("cmi.core.lesson_status") in DONE_STATUSES and course.is_published:
        enrolment = learning.current_enrolment(user.id, course.id) or learning.start(course, user)
        completed = learning.mark_done(enrolment, lesson, course)
    return attempt, completed
