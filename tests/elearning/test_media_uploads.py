"""Authors upload a course's files on its media page: what a file is comes from its content (never its name), each
kind has its size limit, and a refused file is named with the reason in the author's language, with nothing stored. A file no lesson uses can be deleted."""
from elearning_fixtures import make_course
from elearning_media_fixtures import EXECUTABLE, MP3, MP4, PDF, PNG, TRANSCRIPT, VTT, media_count, upload
import pytest
import sqlalchemy as sa

from bibnet.elearning import media
from bibnet.elearning.models import CourseMedia, Lesson, MediaKind
from bibnet.extensions import db
from bibnet.storage.backends import get_storage

from conftest import log_in, post_form

JELGAVA = "/t/jelgava/elearning"


@pytest.fixture
def course(world):
    return make_course(owner_tenant=world.jelgava, published=False)


@pytest.mark.parametrize(
    "data, filename, kind, content_type",
    [
        (PNG, "notes.pdf", MediaKind.IMAGE, "image/png"),  # the name lies; the bytes say PNG
        (MP4, "welcome.mp4", MediaKind.VIDEO, "video/mp4"),
        (MP3, "reading.mp3", MediaKind.AUDIO, "audio/mpeg"),
        (VTT, "welcome.txt", MediaKind.CAPTIONS, "text/vtt"),
        (PDF, "leaflet.pdf", MediaKind.DOCUMENT, "application/pdf"),
        (TRANSCRIPT, "transcript.txt", MediaKind.DOCUMENT, "text/plain"),
    ],
)
def test_a_file_is_stored_as_the_kind_its_content_says(world, client, course, data, filename, kind, content_type):
    log_in(client, "coordinator@jelgava.example")
    response = upload(client, JELGAVA, course.id, data, filename)
    assert response.status_code == 302
    item = db.session.scalar(sa.select(CourseMedia))
    assert (item.course_id, item.kind, item.content_type, item.filename, item.size) == (course.id, kind, content_type, filename, len(data))
    assert item.key.startswith(f"courses/{course.id}/")
    with get_storage().open(item.key) as stored:
        assert stored.read() == data
    page = client.get(f"{JELGAVA}/manage/{course.id}/media/").get_data(as_text=True)
    assert f"media:{item.id}" in page and filename in page


def test_captions_in_a_baltic_single_byte_encoding_are_stored_as_utf8(world, client, course):
    log_in(client, "coordinator@jelgava.example")
    upload(client, JELGAVA, course.id, "WEBVTT\n\n00:00.000 --> 00:02.000\nSveiki, Šiauliai!\n".encode("cp1257"), "lt.vtt")
    item = db.session.scalar(sa.select(CourseMedia))
    with get_storage().open(item.key) as stored:
        assert "Šiauliai" in stored.read().decode("utf-8")


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (EXECUTABLE, "clip.mp4", "This type of file is not accepted in a course"),
        (b"PK\x03\x04" + b"\x00" * 60, "course.zip", "This type of file is not accepted in a course"),
        (b"", "empty.png", "The file is empty"),
        (PNG + b"\x00" * media.LIMITS[MediaKind.IMAGE], "huge.png", "An image can be at most 5 MB"),
        (VTT + b"\n" * media.LIMITS[MediaKind.CAPTIONS], "long.vtt", "A captions file can be at most 1 MB"),
    ],
)
def test_a_refused_file_is_named_with_its_reason_and_nothing_is_stored(world, client, course, data, filename, message):
    log_in(client, "coordinator@jelgava.example")
    response = upload(client, JELGAVA, course.id, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert media_count() == 0


def test_the_refusal_is_in_the_authors_language(world, client, course):
    world.coordinator.locale = "lv"
    db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    response = upload(client, JELGAVA, course.id, EXECUTABLE, "clip.mp4")
    assert response.status_code == 422
    assert "Šāda veida fails kursā netiek pieņemts" in response.get_data(as_text=True)


def test_staff_cannot_upload_to_their_librarys_course(world, client, course):
    log_in(client, "staff@jelgava.example")
    assert client.get(f"{JELGAVA}/manage/{course.id}/media/").status_code in (403, 404)
    assert media_count() == 0


def test_a_partner_cannot_upload_to_the_projects_course_but_its_lead_can(world, client):
    shared = make_course(project=world.project, published=True)
    log_in(client, "coordinator@jelgava.example")
    assert client.get(f"{JELGAVA}/manage/{shared.id}/media/").status_code in (403, 404)
    lead = client.__class__(client.application)
    log_in(lead, "lead@pasvalys.example")
    response = upload(lead, f"/projects/{world.project.id}/elearning", shared.id, PNG, "tube.png")
    assert response.status_code == 302
    assert media_count() == 1


class TestDeletingAFile:
    def test_a_file_no_lesson_uses_is_deleted_with_its_bytes(self, world, client, course):
        log_in(client, "coordinator@jelgava.example")
        upload(client, JELGAVA, course.id, PNG, "tube.png")
        item = db.session.scalar(sa.select(CourseMedia))
        key = item.key
        response = post_form(client, f"{JELGAVA}/manage/{course.id}/media/{item.id}/delete", {}, page=f"{JELGAVA}/manage/{course.id}/media/")
        assert response.status_code == 302
        assert media_count() == 0
        with pytest.raises(FileNotFoundError):
            get_storage().open(key)

    def test_a_file_a_lesson_uses_is_kept_and_the_lesson_named(self, world, client, course):
        log_in(client, "coordinator@jelgava.example")
        upload(client, JELGAVA, course.id, MP3, "reading.mp3")
        item = db.session.scalar(sa.select(CourseMedia))
        lesson = db.session.scalar(sa.select(Lesson).order_by(Lesson.id))
        lesson.easy_read = {"lv": f"[Klausīties](media:{item.id})"}
        db.session.commit()
        response = post_form(client, f"{JELGAVA}/manage/{course.id}/media/{item.id}/delete", {}, page=f"{JELGAVA}/manage/{course.id}/media/")
        assert response.status_code == 409
        assert "is used in these lessons: One (en)" in response.get_data(as_text=True)
        assert media_count() == 1
