"""The course files page, the translation status, the outline with its move buttons, the lesson form with easy-read
and audio fields, and a lesson with an image, a captioned video, an easy-read version and an audio version: no
axe-core WCAG 2.2 A/AA violation in English, Latvian or Lithuanian; a coordinator reorders lessons with the keyboard."""
import re

import pytest
import sqlalchemy as sa

from bibnet.elearning import authoring, media
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.extensions import db

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 40
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to the sensory room.\n"


def seed_course_with_media(app, world) -> dict:
    """Jelgava's published course of two lessons; the first shows an image and a captioned video, and has an
    easy-read version (English, Latvian) and an audio version."""
    with app.app_context():
        course = Course(owner_tenant_id=world.jelgava_id)
        authoring.save_course(course, {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, {})
        db.session.add(course)
        db.session.flush()  # the files are stored under the course's id
        db.session.refresh(course, ["modules"])
        image, video = media.upload(course, PNG, "tube.png"), media.upload(course, MP4, "welcome.mp4")
        captions, reading = media.upload(course, VTT, "welcome.vtt"), media.upload(course, MP3, "reading.mp3")
        module = CourseModule(course=course)
        authoring.save_module(module, {"en": "Before the visit"})
        content = f'Prepare the room.\n\n![The bubble tube lit in blue](media:{image.id})\n\n![Welcoming a visitor](media:{video.id} "media:{captions.id}")'
        first = Lesson(module=module)
        authoring.save_lesson(
            first, {"en": "Preparing the room", "lv": "Telpas sagatavošana"}, {"en": content, "lv": content}, True, 15,
            easy_read={"en": "- Get the room ready.", "lv": "- Sagatavojiet telpu."}, audio=reading,
        )
        authoring.save_lesson(Lesson(module=module), {"en": "Greeting"}, {"en": "Say hello."}, True, 10)
        authoring.publish(course)
        db.session.commit()
        ids = {"course": course.id, "lesson": first.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_lesson_with_media_easy_read_and_audio(site, world, browser_app, language):
    ids = seed_course_with_media(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/", 200)
    site.scan(language, "a lesson with media, easy-read and audio")
    site.page.locator("details.easy-read summary").click()
    assert site.page.locator("details.easy-read").get_attribute("open") is not None
    site.scan(language, "the lesson with its easy-read version open")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_authoring_pages_for_media_translations_and_order(site, world, browser_app, language):
    ids = seed_course_with_media(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    for path in (f"/manage/{ids['course']}/", f"/manage/{ids['course']}/media/", f"/manage/{ids['course']}/translations", f"/manage/{ids['course']}/lessons/{ids['lesson']}/edit"):
        site.goto(BASE + path, 200)
        site.scan(language, f"/elearning{path}")
    site.goto(f"{BASE}/manage/{ids['course']}/media/", 200)
    site.submit("main form[enctype] button[type=submit]", 422)  # no file chosen
    site.scan(language, "the media page with an error")
    site.check()


def test_a_coordinator_moves_a_lesson_down_with_the_keyboard_only(site, world, browser_app, base_url):
    ids = seed_course_with_media(browser_app, world)
    page = site.page
    keys = Keyboard(page, max_tabs=60)
    keys.log_in("coordinator@jelgava.example", base_url)
    page.goto(f"{BASE}/manage/{ids['course']}/")
    site.switch_language("en")  # the buttons are found by their English names
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["name"].startswith("button") and "Move down" in focus["name"], "the button that moves the first lesson down")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"#lesson-{ids['lesson']}")
    with browser_app.app_context():
        order = db.session.scalars(sa.select(Lesson.id).order_by(Lesson.position)).all()
        db.session.remove()
    assert order[-1] == ids["lesson"]
    keys.tab_to(lambda focus: focus["name"].startswith("button") and "Move up : Preparing the room" in focus["name"], "the button that moves it back up")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(rf"#lesson-{ids['lesson']}$", page.url)
    with browser_app.app_context():
        assert db.session.scalars(sa.select(Lesson.id).order_by(Lesson.position)).first() == ids["lesson"]
        db.session.remove()
    keys.check()
