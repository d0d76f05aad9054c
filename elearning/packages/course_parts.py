"""The parts of a course package that BibNet has today: the course's files (media), the structure with its texts,
the lessons' easy-read and audio versions, and SCORM lessons. Registered in this order
(`bibnet.elearning.packages.parts`): the files first, because the texts name them."""
import mimetypes
from pathlib import PurePosixPath
import re
import unicodedata

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.archives import ArchiveRefused
from bibnet.elearning import authoring, content, media
from bibnet.elearning.forms import LOCALES
from bibnet.elearning.models import Course, CourseMedia, CourseModule, Lesson, MediaKind
from bibnet.elearning.packages import files, scorm
from bibnet.elearning.packages.parts import Exported, Imported, register
from bibnet.elearning.packages.references import references
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.uploads import UploadRefused

DOCUMENT = "course.yaml"
FORMAT = "bibnet-course"
# 2: the course's files (media:12 in a lesson is media/<name> in the package), easy-read versions, audio versions.
# A version 1 package reads the same way (its lessons named their files media/<name> too).
VERSION = 2
_LESSON_FILE = re.compile(r"^lessons/(\d{2,3}-\d{2,3})\.([a-z]{2})\.md$")
_EASY_READ_FILE = re.compile(r"^lessons/(\d{2,3}-\d{2,3})\.easy\.([a-z]{2})\.md$")
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
                    package.add_file(f"lessons/{name}.{locale}.md", package.text(markdown).encode())
                languages |= set(lesson.title) | set(lesson.content)
                package.entries[lesson.id] = entry
                lessons.append(entry)
            modules.append({"title": dict(module.title), "lessons": lessons})
        package.document.update({
            "format": FORMAT, "version": VERSION, "languages": sorted(languages),
            "title": dict(course.title), "summary": dict(course.summary), "validity_months": course.validity_months,
            "modules": modules,
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
        validity = document.get("validity_months")
        if validity is not None and (not isinstance(validity, int) or isinstance(validity, bool) or not 1 <= validity <= 240):
            refuse(f"{DOCUMENT}, validity_months", _l("give the months a certificate stays valid as a whole number from 1 to 240, or leave it out for good."))
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
        return _markdown_files(package, f"lessons/{name}.{{locale}}.md")

    def apply(self, course: Course, package: Imported) -> None:
        document = package.document
        try:
            authoring.save_course(course, texts(document.get("title"), ""), texts(document.get("summary"), ""), package.locale)
        except Refused as refused:
            _checked_refusal(f"{DOCUMENT}, title", refused)
        course.validity_months = document.get("validity_months")
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


def _markdown_files(package: Imported, pattern: str) -> dict[str, str]:
    """The texts of `pattern` (with `{locale}`) per language, as the course holds them (files named media:<id>)."""
    found = {}
    for locale in LOCALES:
        path = pattern.format(locale=locale)
        if path in package.files:
            found[locale] = package.text(_utf8(path, package.files[path]))
    return found


def _utf8(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        refuse(path, _l("the file is not UTF-8 text."))


def lesson_entries(package: Imported):
    """The lesson entries of course.yaml's modules (skipping what is not an entry: the structure part refuses it)."""
    for module in package.document.get("modules") or []:
        for entry in (module.get("lessons") or []) if isinstance(module, dict) else []:
            if isinstance(entry, dict):
                yield entry


# What a file's name promises, by its extension; its content must keep the promise (see `Media.check`).
_KIND_BY_SUFFIX = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp"), MediaKind.IMAGE),
    **dict.fromkeys(content.AUDIO, MediaKind.AUDIO), **dict.fromkeys(content.VIDEO, MediaKind.VIDEO),
    **dict.fromkeys(content.CAPTIONS, MediaKind.CAPTIONS),
}
# An extension for each type a course accepts (`bibnet.elearning.media.KINDS_BY_TYPE`), that promises its kind.
_SUFFIX_BY_TYPE = {
    "text/vtt": ".vtt", "text/plain": ".txt", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
    "image/gif": ".gif", "audio/mpeg": ".mp3", "audio/ogg": ".ogg", "audio/mp4": ".m4a", "audio/x-wav": ".wav",
    "audio/x-flac": ".flac", "video/mp4": ".mp4", "video/webm": ".webm", "video/x-m4v": ".m4v", "application/pdf": ".pdf",
}


def package_name(item: CourseMedia, taken: set[str]) -> str:
    """A name for the file that is safe in a zip and in version control on any system (letters, digits, `.-_`),
    keeps what it can of the uploaded name, has an extension that fits its kind (an upload's name may say
    otherwise: its kind was read from its content), and differs from the names in `taken` (compared without case:
    some file systems ignore it), which it joins."""
    ascii_name = unicodedata.normalize("NFKD", item.filename).encode("ascii", "ignore").decode()
    stem, suffix = re.fullmatch(r"(.*?)(\.[A-Za-z0-9]{1,5})?", re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name)).groups("")
    suffix = suffix.lower()
    if _KIND_BY_SUFFIX.get(suffix, item.kind) is not item.kind:
        suffix = ""
    stem = stem[:80].strip(".-_") or "file"
    suffix = suffix or _SUFFIX_BY_TYPE.get(item.content_type) or mimetypes.guess_extension(item.content_type) or ""
    candidate, number = f"{stem}{suffix}", 2
    while candidate.lower() in taken:
        candidate, number = f"{stem}-{number}{suffix}", number + 1
    taken.add(candidate.lower())
    return candidate


class Media:
    """The course's files (`bibnet.elearning.media`) under media/, by a readable name: a lesson's `media:12` is
    `media/door.png` in the package. On import each file goes through the checks of an upload (its kind read from
    its content, the size limits), and its content must be what its name says (an image named .png, …)."""

    name = "media"
    folder = "media/"

    def claims(self, path: str) -> bool:
        return path.startswith(self.folder)

    def export(self, course: Course, package: Exported) -> None:
        taken: set[str] = set()
        for item in db.session.scalars(sa.select(CourseMedia).where(CourseMedia.course_id == course.id).order_by(CourseMedia.id)):
            path = self.folder + package_name(item, taken)
            package.media_paths[item.id] = path
            package.add_file(path, media.reader(item))

    def check(self, package: Imported) -> None:
        for path, data in package.files.items():
            if not self.claims(path):
                continue
            if not _MEDIA_NAME.match(path):
                refuse(path, _l("name media files with letters, digits, dots, dashes and underscores only."))
            try:
                kind = media.checked(data)[0]
            except UploadRefused as refused:
                refuse(path, refused.message)
            promised = _KIND_BY_SUFFIX.get(PurePosixPath(path).suffix.lower())
            if promised is not None and kind is not promised:
                refuse(path, _l("the file's content is not what its name says (%(named)s): it is read as %(found)s.",
                                named=media.KIND_NAMES[promised], found=media.KIND_NAMES[kind]))
        for path, data in package.files.items():
            if path.endswith(".md") and (_LESSON_FILE.match(path) or _EASY_READ_FILE.match(path)):
                try:
                    markdown = data.decode("utf-8")
                except UnicodeDecodeError:
                    continue  # refused by the part the file belongs to, naming it
                self._check_references(path, markdown, package)
        for entry in lesson_entries(package):
            audio = entry.get("audio")
            if audio is not None and (not isinstance(audio, str) or not self.claims(audio) or audio not in package.files):
                refuse(f"{DOCUMENT}, {entry.get('file')}, audio", _l("%(name)s is not in the package's media/ folder.", name=audio))

    def _check_references(self, path: str, markdown: str, package: Imported) -> None:
        for reference in sorted(references(markdown)):
            if content.media_id(reference) is not None:
                refuse(path, _l("%(name)s is a file of the course it was exported from: in a package, name the file as media/<name> and put it in the media/ folder.", name=reference))
            if self.claims(reference) and reference not in package.files:
                refuse(path, _l("%(name)s is not in the package.", name=reference))

    def apply(self, course: Course, package: Imported) -> None:
        if not any(self.claims(path) for path in package.files):
            return
        db.session.flush()  # the course's id: its files are stored under it
        for path, data in sorted(package.files.items()):
            if self.claims(path):
                try:
                    package.media[path] = media.upload(course, data, path[len(self.folder):])
                except UploadRefused as refused:  # checked already; the same rules in case a limit changed meanwhile
                    refuse(path, refused.message)


class LessonVersions:
    """A lesson's easy-read version, one Markdown file per language (`lessons/01-02.easy.lv.md`), and its audio
    version, one of the course's audio files (`audio: media/reading.mp3` in the lesson's entry)."""

    name = "versions"

    def claims(self, path: str) -> bool:
        return bool(_EASY_READ_FILE.match(path))

    def export(self, course: Course, package: Exported) -> None:
        for module in course.modules:
            for lesson in module.lessons:
                entry = package.lesson_entry(lesson)
                for locale, markdown in sorted((lesson.easy_read or {}).items()):
                    package.add_file(f"lessons/{entry['file']}.easy.{locale}.md", package.text(markdown).encode())
                if lesson.audio_media_id in package.media_paths:
                    entry["audio"] = package.media_paths[lesson.audio_media_id]

    def check(self, package: Imported) -> None:
        names = {entry.get("file") for entry in lesson_entries(package)}
        for path, data in package.files.items():
            found = _EASY_READ_FILE.match(path)
            if found and found.group(1) not in names:
                refuse(path, _l("no lesson of course.yaml has this file."))
            if found and found.group(2) not in LOCALES:
                refuse(path, _l("%(languages)s is not a language of BibNet (en, lv, lt).", languages=found.group(2)))
            if found:
                _utf8(path, data)

    def apply(self, course: Course, package: Imported) -> None:
        for name, (lesson, entry) in package.lessons.items():
            easy_read = _markdown_files(package, f"lessons/{name}.easy.{{locale}}.md")
            audio = package.media.get(entry.get("audio"))
            if not easy_read and audio is None:
                continue
            try:  # the editor's checks again, on the lesson with its versions (media, titles, the audio's kind)
                authoring.save_lesson(
                    lesson, lesson.title, lesson.content, lesson.required, lesson.estimated_minutes, package.locale,
                    easy_read=easy_read, audio=audio,
                )
            except Refused as refused:
                _checked_refusal(f"lessons/{name}", refused)


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
            for record in files.of_package(found.id):
                package.add_file(f"{self.folder}{entry['file']}/{record.path}", files.reader(record))

    def _entries(self, package: Imported):
        return [entry for entry in lesson_entries(package) if "scorm" in entry]

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


register(Media())
register(Structure())
register(LessonVersions())
register(ScormLessons())
