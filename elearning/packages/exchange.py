"""Exporting a course as a package (a zip streamed while it is written) and importing one as a new draft course.

An import reads and checks the whole archive before it writes anything (`bibnet.archives`, then every part's
`check`), then creates the course in the request's transaction: a refusal at any point leaves nothing behind
(the core drops what the request wrote; see `bibnet.refusals`). The archive may also be a SCORM 1.2 package
(it has imsmanifest.xml at its root): it becomes a new course of one module with one SCORM lesson.
"""
from collections.abc import Iterator
import zipfile

from flask_babel import lazy_gettext as _l
import yaml

from bibnet.archives import DEFAULT_LIMITS, ArchiveLimits, ArchiveRefused, Reader, open_zip, safe_members
from bibnet.elearning import authoring, media
from bibnet.elearning.models import Course, CourseModule
from bibnet.elearning.packages import course_parts, scorm
from bibnet.elearning.packages.parts import Exported, Imported, registered
from bibnet.extensions import db

DOCUMENT_BYTES = 1024 * 1024  # course.yaml: the structure and titles, never the lessons' texts


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: an alias of an alias of … is YAML's billion laughs."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise ArchiveRefused(_l("course.yaml: anchors and aliases (& and *) are not accepted."))
        return super().compose_node(parent, index)


def _read_document(data: bytes) -> dict:
    if len(data) > DOCUMENT_BYTES:
        raise ArchiveRefused(_l("course.yaml: the file is larger than %(size)d MB.", size=DOCUMENT_BYTES // (1024 * 1024)))
    try:
        document = yaml.load(data.decode("utf-8"), Loader=_NoAliases)
    except UnicodeDecodeError:
        raise ArchiveRefused(_l("course.yaml: the file is not UTF-8 text.")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ArchiveRefused(_l("course.yaml: the YAML cannot be read (line %(line)d).", line=(mark.line + 1) if mark else 0)) from None
    if not isinstance(document, dict):
        raise ArchiveRefused(_l("course.yaml: the file must hold the course's keys (format, version, title, modules)."))
    return document


def read_archive(data: bytes, limits: ArchiveLimits = DEFAULT_LIMITS) -> dict[str, bytes]:
    """Every file of the archive by path, after the checks of `bibnet.archives`."""
    archive = open_zip(data)
    reader = Reader(archive, limits)
    return {info.filename: reader.read(info) for info in safe_members(archive, limits)}


def _course_for(owner_tenant_id: int | None, project_id: int | None) -> Course:
    # modules=[]: known empty, so that parts adding modules after a flush (the media's) do not load them.
    return Course(owner_tenant_id=owner_tenant_id, project_id=project_id, modules=[])


def import_package(data: bytes, locale: str, owner_tenant_id: int | None = None, project_id: int | None = None) -> Course:
    """A new draft course of the library or the project, from a BibNet course package or a SCORM 1.2 package.
    The caller commits; on a refusal nothing may be kept."""
    package_files = read_archive(data)
    if scorm.MANIFEST in package_files and course_parts.DOCUMENT not in package_files:
        return import_scorm_course(package_files, locale, owner_tenant_id, project_id)
    if course_parts.DOCUMENT not in package_files:
        raise ArchiveRefused(_l("The archive has neither course.yaml (a BibNet course) nor imsmanifest.xml (a SCORM package) at its root."))
    package = Imported(document=_read_document(package_files[course_parts.DOCUMENT]), files=package_files, locale=locale)
    parts = registered()
    for path in package_files:
        if not any(part.claims(path) for part in parts):
            raise ArchiveRefused(_l("%(name)s is not part of a BibNet course package (see FORMAT.md).", name=path))
    for part in parts:
        part.check(package)
    course = _course_for(owner_tenant_id, project_id)
    db.session.add(course)
    try:
        for part in parts:
            part.apply(course, package)
            db.session.flush()  # the next part finds the ids of what this one made
    except Exception:
        # The rows go with the transaction; the bytes already stored for the course's files go here.
        for item in package.media.values():
            media.delete_stored(item.key)
        raise
    return course


def scorm_lesson(data: bytes, module: CourseModule, locale: str):
    """A new SCORM lesson at the end of the module, from a SCORM 1.2 package."""
    package_files = read_archive(data)
    if scorm.MANIFEST not in package_files:
        raise ArchiveRefused(_l("The archive has no imsmanifest.xml at its root: it is not a SCORM package."))
    manifest = scorm.read_manifest(package_files[scorm.MANIFEST], set(package_files))
    return scorm.add_lesson(module, manifest, package_files, locale)


def import_scorm_course(package_files: dict[str, bytes], locale: str, owner_tenant_id: int | None, project_id: int | None) -> Course:
    manifest = scorm.read_manifest(package_files[scorm.MANIFEST], set(package_files))
    course = _course_for(owner_tenant_id, project_id)
    authoring.save_course(course, {locale: manifest.title}, {}, locale)
    db.session.add(course)
    module = CourseModule(course=course)
    authoring.save_module(module, {locale: manifest.title}, locale)
    scorm.add_lesson(module, manifest, package_files, locale)
    db.session.flush()
    return course


def export_parts(course: Course) -> Exported:
    """Everything the parts put in the package; file contents that live in the storage are read while streaming."""
    package = Exported()
    for part in registered():
        part.export(course, package)
    return package


class _Pipe:
    """A write-only, unseekable stream that hands over what zipfile wrote so far (zipfile then uses data descriptors)."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        taken, self.chunks = b"".join(self.chunks), []
        return taken


def stream_zip(package: Exported) -> Iterator[bytes]:
    """The package as a zip, chunk by chunk: course.yaml first, then each file as it is read from the storage."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        document = yaml.safe_dump(package.document, allow_unicode=True, sort_keys=False, width=120)
        archive.writestr(course_parts.DOCUMENT, document.encode())
        yield pipe.take()
        for path, data in package.files:
            archive.writestr(path, data() if callable(data) else data)
            yield pipe.take()
    yield pipe.take()
