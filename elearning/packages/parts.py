"""The registry of package parts: each part of a course package (its structure and texts, its media, its SCORM
lessons; the quizzes, from `bibnet.elearning.quizzes`) writes its keys of course.yaml and its files on export, and
reads them back on import. See FORMAT.md for the format.

A part is an object with:
- `name`: a short identifier (in messages and in logs);
- `claims(path) -> bool`: whether a file of the archive is this part's (a file that no part claims is refused);
- `export(course, package: Exported)`: add its keys to `package.document` (or to a lesson's entry,
  `package.lesson_entry(lesson)`) and its files with `package.add_file(path, data)`;
- `check(package: Imported)`: read and check its keys and files; raise `Refused` (naming the file) when they are
  wrong. Nothing may be written here;
- `apply(course, package: Imported)`: create what it holds for the new course. It runs only after every part's
  `check` passed, inside the import's transaction, in registration order: the media first (texts name them), then
  the structure, so later parts find `package.lessons`, the new lessons by their entry's `file`.

Markdown goes through `package.text(markdown)` both ways: the course's `media:12` is the package's
`media/door.png` (`bibnet.elearning.packages.references`).

Parts are registered once, at import time of their module: `register(part)`.
"""
from dataclasses import dataclass, field
from typing import Any, Protocol

from bibnet.elearning.models import Course, CourseMedia, Lesson
from bibnet.elearning.packages.references import renamed


class PackagePart(Protocol):
    name: str

    def claims(self, path: str) -> bool: ...

    def export(self, course: Course, package: "Exported") -> None: ...

    def check(self, package: "Imported") -> None: ...

    def apply(self, course: Course, package: "Imported") -> None: ...


_parts: list[PackagePart] = []


def register(part: PackagePart) -> PackagePart:
    if any(existing.name == part.name for existing in _parts):
        raise ValueError(f"a package part named {part.name!r} is already registered")
    _parts.append(part)
    return part


def registered() -> list[PackagePart]:
    return list(_parts)


@dataclass
class Exported:
    """What an export collects: course.yaml's document, and files as (path, bytes or a callable that reads them)."""

    document: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, Any]] = field(default_factory=list)
    entries: dict[int, dict] = field(default_factory=dict)  # lesson id → its entry in the document
    media_paths: dict[int, str] = field(default_factory=dict)  # the course's file id → its path in the package

    def text(self, markdown: str) -> str:
        """A course's Markdown as the package holds it: `media:12` becomes the file's path, `media/door.png`."""
        return renamed(markdown, {f"media:{media_id}": path for media_id, path in self.media_paths.items()})

    def lesson_entry(self, lesson: Lesson) -> dict:
        return self.entries[lesson.id]

    def add_file(self, path: str, data) -> None:
        """`data` is bytes, or a function without arguments that returns them (read while the download streams)."""
        self.files.append((path, data))


@dataclass
class Imported:
    """What an import reads: course.yaml's document, the archive's files by path, and, after the structure part's
    `apply`, the new lessons by their entry's `file` (with each entry)."""

    document: dict[str, Any]
    files: dict[str, bytes]
    lessons: dict[str, tuple[Lesson, dict]] = field(default_factory=dict)
    locale: str = "en"  # the importing author's language, for the authoring services' messages
    media: dict[str, CourseMedia] = field(default_factory=dict)  # a path under media/ → the new course's file

    def text(self, markdown: str) -> str:
        """A package's Markdown as the course holds it: `media/door.png` becomes `media:<the new file's id>`."""
        return renamed(markdown, {path: f"media:{item.id}" for path, item in self.media.items()})
