"""A course's files: images, audio, video, WebVTT captions and documents, uploaded by its authors and read by its
learners.

A file is owned by its course (a course of a project belongs to no tenant, so the tenant rows of
`bibnet.storage` do not fit): its record is a `CourseMedia` row, its bytes are in the core storage backend
(local folder or S3) under `courses/<course_id>/<random>`. What a file is comes from its content, never from
its name or the browser's word: the magic bytes for images, audio, video and office documents, the `WEBVTT`
signature for captions (`bibnet.filetypes` for text in any encoding, stored as UTF-8). A file is served only
inside the course the URL names, to those who may read the course (a draft's files to its authors only), with
the type read at upload, `nosniff`, and a sandbox policy, so that nothing in a file runs as the app.
"""
import secrets

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.elearning import lookups  # noqa: F401  (first: a file is looked up in the course the URL names)
from bibnet.elearning.content import Medium, media_used
from bibnet.elearning.languages import text
from bibnet.elearning.models import Course, CourseMedia, CourseModule, Lesson, MediaKind
from bibnet.extensions import db
from bibnet.filetypes import FileKind, decode_text, kind_of
from bibnet.loading import addressed, register_loader
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.storage.uploads import UploadRefused, detect_type

MB = 1024 * 1024
KINDS_BY_TYPE = {
    "image/jpeg": MediaKind.IMAGE,
    "image/png": MediaKind.IMAGE,
    "image/webp": MediaKind.IMAGE,
    "image/gif": MediaKind.IMAGE,
    "audio/mpeg": MediaKind.AUDIO,
    "audio/ogg": MediaKind.AUDIO,
    "audio/mp4": MediaKind.AUDIO,
    "audio/x-wav": MediaKind.AUDIO,
    "audio/x-flac": MediaKind.AUDIO,
    "video/mp4": MediaKind.VIDEO,
    "video/webm": MediaKind.VIDEO,
    "video/x-m4v": MediaKind.VIDEO,
    "application/pdf": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.text": MediaKind.DOCUMENT,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": MediaKind.DOCUMENT,
    "application/vnd.oasis.opendocument.presentation": MediaKind.DOCUMENT,
}
CAPTIONS_TYPE = "text/vtt"
TEXT_TYPE = "text/plain"  # a transcript; shown as text, never as HTML
# Images and text files are small; audio, video and documents are bounded by the upload limit of every request
# (MAX_UPLOAD_BYTES), which a platform that hosts long videos raises.
LIMITS = {MediaKind.IMAGE: 5 * MB, MediaKind.CAPTIONS: 1 * MB}
# Shown in the page (images, players, captions, a transcript to read); the rest is downloaded.
INLINE = frozenset({MediaKind.IMAGE, MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.CAPTIONS})

EMPTY = _l("The file is empty.")
NOT_ACCEPTED = _l(
    "This type of file is not accepted in a course. Upload an image (JPEG, PNG, WebP, GIF), audio (MP3, Ogg, M4A, WAV, FLAC), "
    "video (MP4, WebM), captions (WebVTT) or a document (PDF, Word, OpenDocument, PowerPoint, plain text)."
)
KIND_NAMES = {
    MediaKind.IMAGE: _l("image"),
    MediaKind.AUDIO: _l("audio"),
    MediaKind.VIDEO: _l("video"),
    MediaKind.CAPTIONS: _l("captions"),
    MediaKind.DOCUMENT: _l("document"),
}


def _too_large(kind: MediaKind, limit: int):
    size = max(1, limit // MB)
    if kind is MediaKind.IMAGE:
        return _l("An image can be at most %(size)d MB.", size=size)
    if kind is MediaKind.CAPTIONS:
        return _l("A captions file can be at most %(size)d MB.", size=size)
    return _l("The file is too large: at most %(size)d MB.", size=size)


def read_kind(data: bytes) -> tuple[MediaKind, str, bytes]:
    """The kind and type of a file by its content, and the bytes to store (text as UTF-8); refused when it is
    none of the accepted ones."""
    content_type = detect_type(data)
    if content_type in KINDS_BY_TYPE:
        return KINDS_BY_TYPE[content_type], content_type, data
    if content_type is None and kind_of(data) is FileKind.TEXT:
        try:
            text = decode_text(data)[0]
        except UnicodeDecodeError:
            raise UploadRefused(NOT_ACCEPTED) from None
        if "\x00" not in text:
            first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
            if first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t")):
                return MediaKind.CAPTIONS, CAPTIONS_TYPE, text.lstrip("\ufeff").encode("utf-8")
            return MediaKind.DOCUMENT, TEXT_TYPE, text.encode("utf-8")
    raise UploadRefused(NOT_ACCEPTED)


def checked(data: bytes) -> tuple[MediaKind, str, bytes]:
    """What `upload` accepts: the kind and type read from the content, within the kind's size limit, and the bytes
    to store. Raises `UploadRefused` (on the "file" field); stores nothing (a package import checks every file first)."""
    if not data:
        raise UploadRefused(EMPTY)
    kind, content_type, data = read_kind(data)
    limit = LIMITS.get(kind, current_app.config["MAX_CONTENT_LENGTH"])
    if len(data) > limit:
        raise UploadRefused(_too_large(kind, limit))
    return kind, content_type, data


def upload(course: Course, data: bytes, filename: str, uploaded_by=None) -> CourseMedia:
    """Check and store one file of the course; the caller commits. Raises `UploadRefused` (on the "file" field)."""
    kind, content_type, data = checked(data)
    key = f"courses/{course.id}/{secrets.token_hex(16)}"
    get_storage().put(key, data, content_type)
    item = CourseMedia(
        course_id=course.id, kind=kind, key=key, content_type=content_type, size=len(data),
        filename=(filename or "file").replace("/", "_").replace("\\", "_")[-255:], uploaded_by_id=getattr(uploaded_by, "id", None),
    )
    db.session.add(item)
    db.session.flush()
    return item


def lessons_using(item: CourseMedia) -> list[Lesson]:
    """The lessons of its course that show the file (in any language, easy-read included) or play it as their
    audio version."""
    lessons = db.session.scalars(sa.select(Lesson).join(CourseModule).where(CourseModule.course_id == item.course_id).order_by(Lesson.id))
    return [
        lesson for lesson in lessons
        if lesson.audio_media_id == item.id
        or any(item.id in media_used(text) for texts in (lesson.content, lesson.easy_read) for text in (texts or {}).values())
    ]


def remove(item: CourseMedia) -> None:
    """Delete a file no lesson uses (refused, naming the lessons, when one does); its bytes go once the caller's
    transaction is committed (`delete_stored`)."""
    using = lessons_using(item)
    if using:
        names = ", ".join(text(lesson.title) for lesson in using)
        raise Refused(detail=_l("media:%(id)d is used in these lessons: %(lessons)s. Take it out of them first.", id=item.id, lessons=names), status=409)
    db.session.delete(item)


def delete_stored(key: str) -> None:
    try:
        get_storage().delete(key)
    except Exception:  # the record is gone; bytes left behind are only space, never readable through the app
        current_app.logger.exception("could not delete the course file %s", key)


def reader(item: CourseMedia):
    """A function that reads the file's bytes later, without the app or the database (while a download streams)."""
    storage, key = get_storage(), item.key

    def read_later() -> bytes:
        with storage.open(key) as stream:
            return stream.read()

    return read_later


def kinds_of_course(course_id: int | None) -> dict[int, Medium]:
    """The course's files by id, with their kinds (no addresses): what the editor's checks need."""
    if course_id is None:
        return {}
    with db.session.no_autoflush:  # a lesson being checked may be pending: it is written only once it passes
        rows = db.session.execute(sa.select(CourseMedia.id, CourseMedia.kind).where(CourseMedia.course_id == course_id)).all()
    return {media_id: Medium(kind.value) for media_id, kind in rows}


def served_media(course_id: int, address) -> dict[int, Medium]:
    """The course's files with the address `address(media_id)` each is served at: what rendering a text needs."""
    return {media_id: Medium(medium.kind, address(media_id)) for media_id, medium in kinds_of_course(course_id).items()}


def send(item: CourseMedia):
    """The file's bytes as read at upload: its own type, inline when a page shows it, else as a download."""
    response = send_file(
        get_storage().open(item.key), mimetype=item.content_type, as_attachment=item.kind not in INLINE and item.content_type != TEXT_TYPE,
        download_name=item.filename, max_age=0,
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def media_of_course(media_id: int) -> CourseMedia | None:
    """A file only inside the course the URL names (which its own loader found visible): else a 404."""
    course = addressed("course")
    if course is None:
        return None
    return db.session.scalar(sa.select(CourseMedia).where(CourseMedia.id == media_id, CourseMedia.course_id == course.id))


register_loader("media_id", "course_file", media_of_course)
