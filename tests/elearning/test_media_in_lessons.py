"""Lessons use the course's files by name (`media:12`): rendered at their served address as an image, a player with
its captions track or transcript link, or a download link. The editor refuses an image without alt text, a video
or audio without captions or a transcript, and a name that is none of the course's files. Each lesson may have an
easy-read version and an audio version, which the lesson page offers without needing JavaScript."""
from elearning_fixtures import make_course
from elearning_media_fixtures import MP3, MP4, PDF, PNG, VTT, add_media
import sqlalchemy as sa

from bibnet.elearning.models import Lesson
from bibnet.extensions import db

from conftest import log_in, post_form

JELGAVA = "/t/jelgava/elearning"


def first_lesson() -> Lesson:
    return db.session.scalars(sa.select(Lesson).order_by(Lesson.position, Lesson.id)).first()


def edit(client, course, lesson, **changes):
    fields = {"title_en": "Greeting a visitor", "content_en": "Say hello.", "required": "y", "hours": "0", "minutes": "20", "audio": "0"}
    fields.update(changes)
    return post_form(client, f"{JELGAVA}/manage/{course.id}/lessons/{lesson.id}/edit", fields)


def served(course, item) -> str:
    return f"{JELGAVA}/courses/{course.id}/media/{item.id}"


class TestTheEditorsRules:
    def test_an_image_of_the_course_is_accepted_with_alt_text_and_shown_at_its_served_address(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        image = add_media(course, PNG, "tube.png")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        assert edit(client, course, lesson, content_en=f"![A bubble tube lit in blue](media:{image.id})").status_code == 302
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert f'<img src="{served(course, image)}" alt="A bubble tube lit in blue"' in page

    def test_an_image_of_the_course_without_alt_text_is_refused(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        image = add_media(course, PNG, "tube.png")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        response = edit(client, course, lesson, content_en=f"![](media:{image.id})")
        assert response.status_code == 422 and "Every image needs alt text" in response.get_data(as_text=True)
        db.session.expire_all()
        assert first_lesson().content["en"].startswith("Text of One")

    def test_a_video_without_captions_or_transcript_is_refused_by_its_content_not_its_name(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        video = add_media(course, MP4, "welcome.png")  # named like an image, a video by its bytes
        log_in(client, "coordinator@jelgava.example")
        response = edit(client, course, first_lesson(), content_en=f"![Welcoming a visitor](media:{video.id})")
        assert response.status_code == 422 and "Every video and audio needs captions or a transcript" in response.get_data(as_text=True)

    def test_an_image_given_as_captions_is_no_captions(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        video, image = add_media(course, MP4, "welcome.mp4"), add_media(course, PNG, "tube.png")
        log_in(client, "coordinator@jelgava.example")
        response = edit(client, course, first_lesson(), content_en=f'![Welcoming a visitor](media:{video.id} "media:{image.id}")')
        assert response.status_code == 422

    def test_a_video_with_its_captions_plays_with_a_captions_track(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        video, captions = add_media(course, MP4, "welcome.mp4"), add_media(course, VTT, "welcome.vtt")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        assert edit(client, course, lesson, content_en=f'![Welcoming a visitor](media:{video.id} "media:{captions.id}")').status_code == 302
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert f'<video controls="" preload="metadata"><source src="{served(course, video)}">' in page
        assert f'<track kind="captions" src="{served(course, captions)}" label="Welcoming a visitor" default="">' in page

    def test_audio_with_a_transcript_document_links_the_transcript_and_a_document_is_a_download_link(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        audio, transcript = add_media(course, MP3, "song.mp3"), add_media(course, PDF, "song.pdf")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        content = f'![The welcome song](media:{audio.id} "media:{transcript.id}")\n\n[The leaflet](media:{transcript.id})'
        assert edit(client, course, lesson, content_en=content).status_code == 302
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert f'<audio controls="" preload="metadata"><source src="{served(course, audio)}"></audio>' in page
        assert f'<a href="{served(course, transcript)}" rel="noopener noreferrer">Transcript: The welcome song</a>' in page
        assert f'<a href="{served(course, transcript)}" rel="noopener noreferrer">The leaflet</a>' in page

    def test_a_name_that_is_none_of_the_courses_files_is_refused(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        other = make_course(owner_tenant=world.jelgava, title={"en": "Another"})
        theirs = add_media(other, PNG, "tube.png")
        log_in(client, "coordinator@jelgava.example")
        for content in (f"![A tube](media:{theirs.id})", "[Leaflet](media:999)", "![A tube](media:tube)"):
            response = edit(client, course, first_lesson(), content_en=content)
            assert response.status_code == 422 and "is not one of this course&#39;s files" in response.get_data(as_text=True), content


class TestEasyReadAndAudioVersions:
    def test_the_lesson_page_offers_the_easy_read_version_and_the_audio_version_with_its_transcript(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        reading = add_media(course, MP3, "reading.mp3")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        response = edit(client, course, lesson, easy_read_en="- Say hello.\n- Speak slowly.", title_lv="Apmeklētāja sveikšana", easy_read_lv="- Sasveicinieties.", audio=str(reading.id))
        assert response.status_code == 302
        db.session.expire_all()
        assert (first_lesson().easy_read, first_lesson().audio_media_id) == ({"en": "- Say hello.\n- Speak slowly.", "lv": "- Sasveicinieties."}, reading.id)
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert '<details class="easy-read' in page and "<summary" in page and "<li>Speak slowly.</li>" in page
        assert f'<audio controls preload="none" src="{served(course, reading)}"' in page
        assert '<a href="#lesson-text">' in page and 'id="lesson-text"' in page

    def test_the_easy_read_version_is_sanitised_and_checked_like_the_lesson(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        assert edit(client, course, lesson, easy_read_en="![](room.jpg)").status_code == 422
        assert edit(client, course, lesson, easy_read_en="<script>alert(1)</script> [x](javascript:alert(1))").status_code == 302
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and 'href="javascript' not in page

    def test_the_audio_version_must_be_an_audio_file_of_the_course(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        image = add_media(course, PNG, "tube.png")
        other = make_course(owner_tenant=world.jelgava, title={"en": "Another"})
        theirs = add_media(other, MP3, "reading.mp3")
        lesson = first_lesson()
        log_in(client, "coordinator@jelgava.example")
        for audio in (image, theirs):
            response = edit(client, course, lesson, audio=str(audio.id))
            assert response.status_code == 422 and "Choose an audio file of this course" in response.get_data(as_text=True)
        db.session.expire_all()
        assert first_lesson().audio_media_id is None

    def test_a_lesson_without_them_shows_neither(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{first_lesson().id}/").get_data(as_text=True)
        assert "easy-read" not in page and "<audio" not in page

    def test_the_easy_read_version_says_when_it_is_in_another_language(self, world, client):
        course = make_course(owner_tenant=world.jelgava, languages=("en", "lv"))
        lesson = first_lesson()
        lesson.easy_read = {"en": "- Say hello."}
        db.session.commit()
        world.staff.locale = "lv"
        db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = client.get(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert '<div lang="en"><ul>' in page and "English" in page.split('id="easy-read"')[1].split("</details>")[0]
