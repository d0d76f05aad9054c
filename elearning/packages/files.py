"""The files of SCORM packages in the core storage: kept under `courses/<course id>/<random>`, recorded as
`ScormFile` rows by their path in their package (`index.html`). A lesson's media are not here: they are the
course's files of `bibnet.elearning.media`, whatever way they came (upload or package).

The storage backend is the core's (`bibnet.storage.backends`); `StoredFile` is not used because its rows are a
tenant's, and a project's course belongs to no tenant. Nothing here checks permissions: files reach learners
only through this package's views, which load the course through the catalogue first.
"""
import secrets

import sqlalchemy as sa

from bibnet.elearning.packages.models import ScormFile, ScormPackage
from bibnet.extensions import db
from bibnet.storage.backends import get_storage

# What a file of a course is served as, by its extension; anything else is served as a download of bytes.
CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
    ".xml": "application/xml", ".xsd": "application/xml", ".txt": "text/plain", ".vtt": "text/vtt", ".md": "text/markdown",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ico": "image/x-icon", ".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".m4v": "video/mp4", ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".wav": "audio/wav",
    ".m4a": "audio/mp4", ".opus": "audio/ogg", ".flac": "audio/flac", ".pdf": "application/pdf",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
}
_TEXT = ("text/", "application/json", "application/xml", "image/svg+xml")


def content_type(path: str) -> str:
    suffix = path[path.rfind("."):].lower() if "." in path.rsplit("/", 1)[-1] else ""
    kind = CONTENT_TYPES.get(suffix, "application/octet-stream")
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXT) else kind


def store(course_id: int, package: ScormPackage, path: str, data: bytes) -> ScormFile:
    """Put the bytes in the storage (under the package's course) and record them; the caller commits (or, refused,
    leaves the bytes unreferenced)."""
    key = f"courses/{course_id}/{secrets.token_hex(16)}"
    kind = content_type(path)
    get_storage().put(key, data, kind)
    record = ScormFile(package_id=package.id, path=path, key=key, content_type=kind, size=len(data))
    db.session.add(record)
    return record


def find(package_id: int, path: str) -> ScormFile | None:
    return db.session.scalar(sa.select(ScormFile).where(ScormFile.package_id == package_id, ScormFile.path == path))


def of_package(package_id: int) -> list[ScormFile]:
    return list(db.session.scalars(sa.select(ScormFile).where(ScormFile.package_id == package_id).order_by(ScormFile.path)))


def read(record: ScormFile) -> bytes:
    with get_storage().open(record.key) as stream:
        return stream.read()


def reader(record: ScormFile):
    """A function that reads the file later, without the app or the database (while a download streams)."""
    storage, key = get_storage(), record.key

    def read_later() -> bytes:
        with storage.open(key) as stream:
            return stream.read()

    return read_later


def chunks(record: ScormFile, size: int = 64 * 1024):
    """The file's bytes piece by piece, read without the app or the database (while a response streams)."""
    storage, key = get_storage(), record.key

    def pieces():
        with storage.open(key) as stream:
            while piece := stream.read(size):
                yield piece

    return pieces()
