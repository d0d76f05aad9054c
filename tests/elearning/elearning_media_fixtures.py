"""Files of every kind a course takes, as their first bytes really are, and helpers to upload them (a module, not
a conftest: the tests' root conftest is imported as `conftest` already)."""
import io

import sqlalchemy as sa

from bibnet.elearning import media
from bibnet.elearning.models import CourseMedia
from bibnet.extensions import db

from conftest import post_form

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to the sensory room.\n"
TRANSCRIPT = b"Transcript: welcome to the sensory room."
EXECUTABLE = b"MZ" + b"\x00" * 60


def add_media(course, data: bytes, filename: str) -> CourseMedia:
    """A file of the course, stored through the service the media page uses (inside an app context)."""
    item = media.upload(course, data, filename)
    db.session.commit()
    return item


def upload(client, base: str, course_id: int, data: bytes, filename: str):
    url = f"{base}/manage/{course_id}/media/"
    return post_form(client, url, {"file": (io.BytesIO(data), filename)})


def media_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CourseMedia))
