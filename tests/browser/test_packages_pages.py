"""The course package pages (import a course, add a SCORM lesson) and the SCORM player have no axe-core violation in
any language, and a learner takes a SCORM lesson by keyboard alone: the SCO, sandboxed without same-origin, reaches
BibNet's runtime through the player page and the lesson is recorded as done."""
import io
import re
import zipfile

from playwright.sync_api import expect
import pytest
import sqlalchemy as sa

from bibnet.elearning import authoring
from bibnet.elearning.models import Course, CourseModule, LessonProgress
from bibnet.elearning.packages import exchange
from bibnet.elearning.packages.models import ScormAttempt
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning"
MANIFEST = b"""<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Greeting</title>
    <item identifier="i" identifierref="r"><title>Greeting a visitor</title></item></organization></organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco" href="index.html"><file href="index.html"/></resource></resources>
</manifest>"""
# A SCO as packages are written: it looks for the API in its window and its parents, and reports its status.
SCO = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Greeting a visitor</title></head>
<body><main><h1>Greeting a visitor</h1><p>Say hello, then wait.</p>
<button type="button" id="finish">I have read it</button><p id="said" role="status"></p></main>
<script>
function findAPI(win) { var tries = 0; while (!win.API && win.parent && win.parent !== win && tries++ < 7) { win = win.parent; } return win.API; }
var api = findAPI(window);
api.LMSInitialize("");
document.getElementById("said").textContent = "Status: " + api.LMSGetValue("cmi.core.lesson_status") + ", learner " + api.LMSGetValue("cmi.core.student_name");
document.getElementById("finish").addEventListener("click", function () {
  api.LMSSetValue("cmi.core.lesson_status", "completed");
  api.LMSSetValue("cmi.core.session_time", "0000:02:05");
  api.LMSCommit("");
  api.LMSFinish("");
  document.getElementById("said").textContent = "Finished";
});
</script></body></html>"""


def scorm_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", SCO)
    return buffer.getvalue()


def seed(app, world) -> dict:
    """Jelgava's published course of one module: a SCORM lesson."""
    with app.app_context():
        course = Course(owner_tenant_id=world.jelgava_id)
        authoring.save_course(course, {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana", "lt": "Lankytojų priėmimas"}, {})
        db.session.add(course)
        module = CourseModule(course=course)
        authoring.save_module(module, {"en": "At the desk"})
        lesson = exchange.scorm_lesson(scorm_zip(), module, "en")
        authoring.publish(course)
        db.session.commit()
        ids = {"course": course.id, "module": module.id, "lesson": lesson.id}
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_import_pages(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/manage/", 200)
    site.scan(language, "/elearning/manage/ with the import button")
    site.goto(f"{BASE}/manage/import", 200)
    site.scan(language)
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/elearning/manage/import with errors")
    site.page.locator("#file").set_input_files({"name": "course.zip", "mimeType": "application/zip", "buffer": b"not a zip"})
    site.submit("main form button[type=submit]", 422)
    assert "zip" in site.page.locator("#file-error").inner_text()
    site.scan(language, "/elearning/manage/import with a refused archive")
    site.goto(f"{BASE}/manage/{ids['course']}/", 200)
    site.scan(language, "the outline with export and SCORM buttons")
    site.goto(f"{BASE}/manage/{ids['course']}/modules/{ids['module']}/scorm", 200)
    site.scan(language, "/elearning/manage/<id>/modules/<id>/scorm")
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_player_page(site, world, browser_app, language):
    ids = seed(browser_app, world)
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/", 200)  # redirected to the player
    assert site.page.url.endswith(f"/lessons/{ids['lesson']}/scorm/")
    frame = site.page.frame_locator("#sco-frame")
    assert frame.locator("#said").inner_text() == "Status: not attempted, learner S., J."
    site.scan(language, "the SCORM player")
    site.check()


def test_a_learner_takes_a_scorm_lesson_with_the_keyboard_only(site, world, browser_app, base_url):
    ids = seed(browser_app, world)
    page = site.page
    keys = Keyboard(page)
    keys.log_in("staff@jelgava.example", base_url)
    page.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/scorm/")
    frame = page.frame_locator("#sco-frame")
    frame.locator("#said").wait_for()
    keys.skip_to_main()
    for _ in range(20):  # Tab through the page into the frame, to the SCO's button
        page.keyboard.press("Tab")
        if frame.locator("#finish").evaluate("button => document.activeElement === button"):
            break
    else:
        pytest.fail("the SCO's button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert frame.locator("#said").inner_text() == "Finished"
    expect(page.locator("#scorm-status")).to_contain_text("Apmeklētāju uzņemšana")  # the staff member reads Latvian: "completed the course …"
    for _ in range(50):  # LMSFinish's message follows LMSCommit's: wait for it to be kept
        with browser_app.app_context(), tenant_scope(world.jelgava_id):
            finished = db.session.scalar(sa.select(ScormAttempt.finished_at))
            db.session.remove()
        if finished is not None:
            break
        page.wait_for_timeout(100)
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        attempt = db.session.scalar(sa.select(ScormAttempt))
        assert (attempt.lesson_status, attempt.total_seconds, attempt.finished_at is not None) == ("completed", 125, True)
        assert db.session.scalar(sa.select(LessonProgress.lesson_id)) == ids["lesson"]
        db.session.remove()
    assert not [url for url in site.requests if re.search(r"^https?://(?!127\.0\.0\.1|localhost)", url)]
    keys.check()


