"""The parts of a course package that BibNet has today: the structure with its texts, the media of the lessons, and
SCORM lessons. Registered in this order (`bibnet.elearning.packages.parts`)."""
import re

from flask_babel import lazy_gettext as _l

from bibnet.archives import ArchiveRefused
from bibnet.elearning import authoring
from bibnet.elearning.forms import LOCALES
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.elearning.packages import files, scorm
from bibnet.elearning.packages.parts import Exported, Imported, register
from bibnet.refusals import Refused

DOCUMENT = "course.yaml"
FORMAT = "bibnet-course"
VERSION = 1
_LESSON_FILE = re.compile(r"^lessons/(\d{2,3}-\d{2,3})\.([a-z]{2})\.md$")
_LESSON_NAME = re.compile(r"^\d{2,3}-\d{2,3}$")
_MEDIA_NAME = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


def refuse(where: str, problem) -> None:
    """A refusal that names the place in course.yaml (or the file) and the problem."""
    raise ArchiveRefused(_l("%(where)s: %(problem)s", where=where, problem=problem))


def texts(value, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        refuse(where, _l("give the text per language, as in {en: \"…\", lv: \"…\"}."))
    unknown = sorted(set(value) - set(LOCALES))
    if unknown:
        refuse(where, _l("%(languages)s is not a language of BibNet (en, lv, lt).", languages=", ".join(unknown)))
    return dict(value)


def lesson_name(module_number: int, lesson_number: int) -> str:
    return f"{module_number:02d}-{lesson_number:02d}"


def _checked_refusal(where: str, refused: Refused):
    """The authoring services' refusal (the same rules as the editor's), named by the place in the package."""
    raise ArchiveRefused(_l("%(where)s: %(problem)s", where=where, problem=refused.summary())) from None


class Structure:
    """course.yaml's course, modules and lessons with their titles, and one Markdown file per lesson and language."""

    name = "structure"

    def claims(self, path: str) -> bool:
        return path == DOCUMENT or bool(_LESSON_FILE.match(path))

    def export(self, course: Course, package: Exported) -> None:
        languages: set[str] = set(course.title)
        modules = []
        for module_number, module in enumerate(course.modules, 1):
            languages |= set(module.title)
            lessons = []
            for lesson_number, lesson in enumerate(module.lessons, 1):
                name = lesson_name(module_number, lesson_number)
                entry = {"file": name, "title": dict(lesson.title), "required": lesson.required, "minutes": lesson.estimated_minutes}
                for locale, markdown in sorted(lesson.content.items()):
                    package.add_file(f"lessons/{name}.{locale}.md", markdown.encode())
                languages |= set(lesson.title) | set(lesson.content)
                package.entries[lesson.id] = entry
                lessons.append(entry)
            modules.append({"title": dict(module.title), "lessons": lessons})
        package.document.update({
            "format": FORMAT, "version": VERSION, "languages": sorted(languages),
            "title": dict(course.title), "summary": dict(course.summary), "modules": modules,
        })

    def check(self, package: Imported) -> None:
        document = package.document
        if document.get("format") != FORMAT:
            refuse(DOCUMENT, _l("this is not a BibNet course package (format: %(format)s is missing).", format=FORMAT))
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            refuse(f"{DOCUMENT}, version", _l("give the format version as a whole number."))
        if version > VERSION:
            refuse(f"{DOCUMENT}, version", _l("the package was made by a newer BibNet (format version %(version)d); this one reads version %(known)d.", version=version, known=VERSION))
        texts(document.get("title"), f"{DOCUMENT}, title")
        texts(document.get("summary"), f"{DOCUMENT}, summary")
        modules = document.get("modules")
        if not isinstance(modules, list) or not modules:
            refuse(f"{DOCUMENT}, modules", _l("list the course's modules."))
        names: set[str] = set()
        for module_number, module in enumerate(modules, 1):
            where = f"{DOCUMENT}, modules {module_number}"
            if not isinstance(module, dict):
                refuse(where, _l("a module needs a title and lessons."))
            texts(module.get("title"), f"{where}, title")
            lessons = module.get("lessons", [])
            if not isinstance(lessons, list):
                refuse(f"{where}, lessons", _l("list the module's lessons."))
            for lesson_number, entry in enumerate(lessons, 1):
                self._check_lesson(entry, f"{where}, lessons {lesson_number}", names)
        for path in package.files:
            found = _LESSON_FILE.match(path)
            if found and found.group(1) not in names:
                refuse(path, _l("no lesson of course.yaml has this file."))
            if found and found.group(2) not in LOCALES:
                refuse(path, _l("%(languages)s is not a language of BibNet (en, lv, lt).", languages=found.group(2)))

    def _check_lesson(self, entry, where: str, names: set[str]) -> None:
        if not isinstance(entry, dict):
            refuse(where, _l("a lesson needs its file name and title."))
        name = entry.get("file")
        if not isinstance(name, str) or not _LESSON_NAME.match(name):
            refuse(f"{where}, file", _l("give the lesson's file name as module-lesson, as in 01-02."))
        if name in names:
            refuse(f"{where}, file", _l("%(name)s names two lessons.", name=name))
        names.add(name)
        texts(entry.get("title"), f"{where}, title")
        if not isinstance(entry.get("required", True), bool):
            refuse(f"{where}, required", _l("write true or false."))
        minutes = entry.get("minutes", 0)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 6000:
            refuse(f"{where}, minutes", _l("give the minutes as a whole number from 0 to 6000."))

    def _contents(self, package: Imported, name: str) -> dict[str, str]:
        found = {}
        for locale in LOCALES:
            path = f"lessons/{name}.{locale}.md"
            if path in package.files:
                try:
                    found[locale] = package.files[path].decode("utf-8")
                except UnicodeDecodeError:
                    refuse(path, _l("the file is not UTF-8 text."))
        return found

    def apply(self, course: Course, package: Imported) -> None:
        document = package.document
        try:
            authoring.save_course(course, texts(document.get("title"), ""), texts(document.get("summary"), ""), package.locale)
        except Refused as refused:
            _checked_refusal(f"{DOCUMENT}, title", refused)
        for module_number, module_entry in enumerate(document["modules"], 1):
            module = CourseModule(course=course)
            try:
                authoring.save_module(module, texts(module_entry.get("title"), ""), package.locale)
            except Refused as refused:
                _checked_refusal(f"{DOCUMENT}, modules {module_number}", refused)
            for entry in module_entry.get("lessons", []):
                lesson = Lesson(module=module)
                try:
                    authoring.save_lesson(
                        lesson, texts(entry.get("title"), ""), self._contents(package, entry["file"]),
                        entry.get("required", True), entry.get("minutes", 0), package.locale,
                    )
                except ArchiveRefused:
                    raise
                except Refused as refused:
                    _checked_refusal(f"lessons/{entry['file']}", refused)
                package.lessons[entry["file"]] = (lesson, entry)


class Media:
    """Files under media/ that lessons show: `![The bubble tube](media/tube.jpg)` in a lesson's Markdown."""

    name = "media"
    folder = "media/"

    def claims(self, path: str) -> bool:
        return path.startswith(self.folder)

    def export(self, course: Course, package: Exported) -> None:
        for record in files.under(course.id, self.folder):
            package.add_file(record.path, files.reader(record))

    def check(self, package: Imported) -> None:
        for path in package.files:
            if self.claims(path) and not _MEDIA_NAME.match(path):
                refuse(path, _l("name media files with letters, digits, dots, dashes and underscores only."))

    def apply(self, course: Course, package: Imported) -> None:
        for path, data in package.files.items():
            if self.claims(path):
                files.store(course.id, path, data)


class ScormLessons:
    """A lesson entry with `scorm: {launch: index.html}` and its package's files under scorm/<file>/."""

    name = "scorm"
    folder = "scorm/"

    def claims(self, path: str) -> bool:
        return path.startswith(self.folder)

    def export(self, course: Course, package: Exported) -> None:
        lessons = [lesson for module in course.modules for lesson in module.lessons]
        for lesson_id, found in scorm.packages_of(lesson.id for lesson in lessons).items():
            entry = package.entries[lesson_id]
            entry["scorm"] = {"launch": found.launch, "mastery_score": found.mastery_score}
            for record in files.under(course.id, found.folder):
                package.add_file(f"{self.folder}{entry['file']}/{record.path[len(found.folder):]}", files.reader(record))

    def _entries(self, package: Imported):
        for module in package.document.get("modules") or []:
            for entry in module.get("lessons") or []:
                if isinstance(entry, dict) and "scorm" in entry:
                    yield entry

    def check(self, package: Imported) -> None:
        claimed = set()
        for entry in self._entries(package):
            where = f"{DOCUMENT}, {entry.get('file')}, scorm"
            details = entry["scorm"]
            folder = f"{self.folder}{entry.get('file')}/"
            launch = details.get("launch") if isinstance(details, dict) else None
            if not isinstance(launch, str) or folder + launch.split("?", 1)[0] not in package.files:
                refuse(where, _l("the launch file of the SCORM lesson is not in the package."))
            mastery = details.get("mastery_score")
            if mastery is not None and (not isinstance(mastery, int) or not 0 <= mastery <= 100):
                refuse(f"{where}, mastery_score", _l("give the mastery score as a whole number from 0 to 100."))
            claimed.add(folder)
        for path in package.files:
            if self.claims(path) and not any(path.startswith(folder) for folder in claimed):
                refuse(path, _l("no lesson of course.yaml has this file."))

    def apply(self, course: Course, package: Imported) -> None:
        for entry in self._entries(package):
            lesson, _entry = package.lessons[entry["file"]]
            folder = f"{self.folder}{entry['file']}/"
            manifest = scorm.Manifest("", entry["scorm"]["launch"], entry["scorm"].get("mastery_score"))
            package_files = {path[len(folder):]: data for path, data in package.files.items() if path.startswith(folder)}
            scorm.attach(lesson, manifest, package_files)


register(Structure())
register(Media())
register(ScormLessons())
