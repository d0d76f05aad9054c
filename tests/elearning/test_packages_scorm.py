"""SCORM 1.2 packages play as lessons: imported into a module (or as a new course), served only to those who may read
the course, from a sandboxed address with a strict CSP, with BibNet's runtime; what the SCO stores is checked
against SCORM 1.2 and kept per learner, and a passed or completed status records the lesson as done."""
import io
import re
import zipfile

from elearning_fixtures import lesson_ids, make_course
import pytest
import sqlalchemy as sa

from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.elearning.packages import exchange, scorm
from bibnet.elearning.packages.models import ScormAttempt, ScormFile, ScormPackage
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import all_tenants, tenant_scope

from conftest import csrf_token, log_in

JELGAVA = "/t/jelgava/elearning"

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="welcome" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Welcome desk</title>
    <item identifier="item1" identifierref="sco1"><title>Greeting a visitor</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
  <resources>{resources}</resources>
</manifest>"""
SCO = '<resource identifier="sco1" type="webcontent" adlcp:scormtype="sco" href="{href}"><file href="index.html"/></resource>'
PAGE = b"<!doctype html><html><head><title>SCO</title></head><body><p>Hello</p><script src='sco.js'></script></body></html>"


def scorm_zip(version="1.2", resources=None, files=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST.format(version=version, resources=resources if resources is not None else SCO.format(href="index.html")))
        for name, data in (files if files is not None else {"index.html": PAGE, "sco.js": b"API.LMSInitialize('');"}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, url, data: bytes):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "package.zip")})


@pytest.fixture
def scorm_course(world, client):
    """Jelgava's published course whose second lesson (after a text lesson) is a SCORM package, imported by its coordinator."""
    course = make_course(owner_tenant=world.jelgava, lessons=(("Intro", True),))
    module_id = db.session.scalar(sa.select(CourseModule.id).where(CourseModule.course_id == course.id))
    log_in(client, "coordinator@jelgava.example")
    response = upload(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/scorm", scorm_zip())
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/profile").get_data(as_text=True))})
    return course


def sco_lesson(course) -> Lesson:
    return db.session.scalar(sa.select(Lesson).join(ScormPackage, ScormPackage.lesson_id == Lesson.id).join(CourseModule).where(CourseModule.course_id == course.id))


def player_url(course) -> str:
    return f"{JELGAVA}/courses/{course.id}/lessons/{sco_lesson(course).id}/scorm/"


def launch_address(client, course) -> str:
    page = client.get(player_url(course)).get_data(as_text=True)
    return re.search(r'id="sco-frame"[^>]*src="([^"]+)"', page, re.S).group(1)


def send(client, course, values, finish=False, page=None):
    token = csrf_token(client.get(page or player_url(course)).get_data(as_text=True))
    lesson = sco_lesson(course)
    return client.post(f"{JELGAVA}/courses/{course.id}/lessons/{lesson.id}/scorm/runtime", json={"values": values, "finish": finish}, headers={"X-CSRFToken": token})


class TestImport:
    def test_a_package_becomes_the_last_lesson_of_the_module_with_its_files(self, world, scorm_course):
        lesson = sco_lesson(scorm_course)
        assert lesson_ids(scorm_course)[-1] == lesson.id
        assert lesson.title == {"en": "Greeting a visitor"}
        package = db.session.scalar(sa.select(ScormPackage))
        assert (package.launch, package.mastery_score) == ("index.html", 80)
        paths = set(db.session.scalars(sa.select(ScormFile.path).where(ScormFile.package_id == package.id)))
        assert paths == {"imsmanifest.xml", "index.html", "sco.js"}

    def test_a_scorm_package_imported_as_a_course_is_a_new_draft_with_one_lesson(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        assert upload(client, f"{JELGAVA}/manage/import", scorm_zip()).status_code == 302
        course = db.session.scalar(sa.select(Course))
        assert (course.title, course.owner_tenant_id, course.is_published) == ({"en": "Greeting a visitor"}, world.jelgava.id, False)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Lesson)) == 1

    @pytest.mark.parametrize(("data", "reason"), [
        (lambda: scorm_zip(version="2004 4th Edition"), "SCORM 2004 4th Edition; BibNet plays SCORM 1.2"),
        (lambda: scorm_zip(resources=SCO.format(href="index.html") + SCO.format(href="index.html").replace("sco1", "sco2")), "2 SCOs"),
        (lambda: scorm_zip(resources=""), "0 SCOs"),
        (lambda: scorm_zip(resources=SCO.format(href="missing.html")), "missing.html is not in the package"),
        (lambda: scorm_zip(files={"index.html": PAGE, "../escape.js": b"x"}), "points outside"),
    ])
    def test_a_bad_package_is_refused_and_nothing_is_added(self, world, client, data, reason):
        course = make_course(owner_tenant=world.jelgava)
        module_id = db.session.scalar(sa.select(CourseModule.id))
        log_in(client, "coordinator@jelgava.example")
        response = upload(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/scorm", data())
        assert response.status_code == 422
        assert reason in response.get_data(as_text=True)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Lesson)) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScormPackage)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScormFile)) == 0

    def test_a_manifest_with_an_entity_attack_is_refused(self, world):
        attack = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>'
        with pytest.raises(Refused) as refused:
            scorm.read_manifest(attack, {"index.html"})
        assert "declares a DTD or entities" in refused.value.summary()

    def test_a_course_package_carries_its_scorm_lessons(self, world, scorm_course):
        course = db.session.scalar(sa.select(Course).where(Course.id == scorm_course.id).options(sa.orm.selectinload(Course.modules).selectinload(CourseModule.lessons)))
        data = b"".join(exchange.stream_zip(exchange.export_parts(course)))
        assert "scorm/01-02/index.html" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        with tenant_scope(world.jelgava):
            copy = exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
            db.session.commit()
        lesson = sco_lesson(copy)
        assert lesson.title == {"en": "Greeting a visitor"}
        assert db.session.scalar(sa.select(ScormPackage.launch).where(ScormPackage.lesson_id == lesson.id)) == "index.html"


class TestPlaying:
    def test_the_lesson_page_opens_the_player_in_a_sandboxed_frame_without_same_origin(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        lesson = sco_lesson(scorm_course)
        response = client.get(f"{JELGAVA}/courses/{scorm_course.id}/lessons/{lesson.id}/")
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/lessons/{lesson.id}/scorm/")
        page = client.get(player_url(scorm_course)).get_data(as_text=True)
        assert 'sandbox="allow-scripts allow-forms"' in page and "allow-same-origin" not in page

    def test_the_sco_is_served_with_a_sandboxing_csp_and_bibnets_api_with_initials_only(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        address = launch_address(client, scorm_course)
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/profile").get_data(as_text=True))})
        response = client.get(address)  # the frame sends no cookie: the signed address is enough
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("sandbox allow-scripts allow-forms;") and "connect-src 'none'" in policy and "frame-ancestors 'self'" in policy
        html = response.get_data(as_text=True)
        assert html.index("scorm-api.js") < html.index("<title>")
        assert "J., S." not in html and "S., J." in html  # Jānis Staff, as initials
        assert "Staff" not in html.replace("staff", "") and "staff@jelgava.example" not in html
        script = client.get(address.rsplit("/", 1)[0] + "/sco.js")
        assert script.status_code == 200 and script.headers["Content-Security-Policy"].startswith("sandbox")

    def test_a_tampered_or_foreign_address_finds_nothing(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        address = launch_address(client, scorm_course)
        token = address.split("/")[2]
        assert client.get(address.replace(token, token[:-2] + "xx")).status_code == 404
        assert client.get(address.replace("index.html", "nothing.html")).status_code == 404

    def test_another_library_gets_neither_the_player_nor_the_files(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        address = launch_address(client, scorm_course)
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/profile").get_data(as_text=True))})
        log_in(client, "coordinator@pasvalys.example")
        lesson = sco_lesson(scorm_course)
        assert client.get(f"/t/pasvalys/elearning/courses/{scorm_course.id}/lessons/{lesson.id}/scorm/").status_code == 404
        # An address signed for Pasvalys names a package of a course Pasvalys may not see: nothing is served.
        from bibnet.elearning.packages import views

        with client.application.test_request_context():
            foreign = views._serializer().dumps([db.session.scalar(sa.select(ScormPackage.id)), world.pasvalys.id, world.other_staff.id])
        assert client.get(address.replace(address.split("/")[2], foreign)).status_code == 404
        assert client.get(address).status_code == 200  # the one Jelgava's learner was given still works


class TestRuntime:
    def test_values_are_kept_for_the_learner_and_come_back_at_the_next_launch(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        response = send(client, scorm_course, {
            "cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "page-3", "cmi.suspend_data": "a=1;b=2",
            "cmi.core.score.raw": "45.5", "cmi.core.score.min": "0", "cmi.core.score.max": "100", "cmi.core.session_time": "0000:12:30.5",
            "cmi.core.exit": "suspend",
        }, finish=True)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.json == {"lesson_status": "incomplete", "total_time": "0000:12:31", "course_completed": False}
        send(client, scorm_course, {"cmi.core.session_time": "01:00:00"})
        with tenant_scope(world.jelgava):
            attempt = db.session.scalar(sa.select(ScormAttempt))
            assert (attempt.user_id, attempt.lesson_location, attempt.suspend_data, attempt.score_raw, attempt.total_seconds) == (
                world.staff.id, "page-3", "a=1;b=2", "45.5", 12 * 60 + 31 + 3600)
        html = client.get(launch_address(client, scorm_course)).get_data(as_text=True)
        assert "page-3" in html and "&#34;cmi.core.entry&#34;: &#34;resume&#34;" in html

    def test_passed_records_the_lesson_as_done_and_completes_the_course(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        with tenant_scope(world.jelgava):
            db.session.add(Enrolment(user_id=world.staff.id, course_id=scorm_course.id))
            db.session.flush()
            enrolment = db.session.scalar(sa.select(Enrolment))
            db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson_ids(scorm_course)[0], completed_at=enrolment.created_at))
            db.session.commit()
        response = send(client, scorm_course, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"}, finish=True)
        assert response.json["course_completed"] is True
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(Enrolment.completed_at)) is not None

    @pytest.mark.parametrize(("values", "element", "message"), [
        ({"cmi.core.lesson_status": "done"}, "cmi.core.lesson_status", "The status must be one of"),
        ({"cmi.core.lesson_status": "not attempted"}, "cmi.core.lesson_status", "The status must be one of"),
        ({"cmi.core.score.raw": "101"}, "cmi.core.score.raw", "from 0 to 100"),
        ({"cmi.core.score.raw": "ninety"}, "cmi.core.score.raw", "CMIDecimal"),
        ({"cmi.core.score.min": "80", "cmi.core.score.max": "50"}, "cmi.core.score.min", "above the maximum"),
        ({"cmi.core.session_time": "12:30"}, "cmi.core.session_time", "CMITimespan"),
        ({"cmi.core.session_time": "00:61:00"}, "cmi.core.session_time", "CMITimespan"),
        ({"cmi.suspend_data": "x" * 4097}, "cmi.suspend_data", "4096"),
        ({"cmi.core.lesson_location": "x" * 256}, "cmi.core.lesson_location", "255"),
        ({"cmi.core.student_name": "Someone Else"}, "cmi.core.student_name", "cannot be set"),
        ({"cmi.core.exit": "later"}, "cmi.core.exit", "time-out, suspend, logout"),
        ({"cmi.core.lesson_location": 3}, "cmi.core.lesson_location", "must be a string"),
    ])
    def test_a_value_scorm_does_not_allow_is_refused_naming_the_element_and_nothing_is_kept(self, world, client, scorm_course, values, element, message):
        log_in(client, "staff@jelgava.example")
        response = send(client, scorm_course, {"cmi.core.lesson_location": "kept?", **values})
        assert response.status_code == 422
        assert response.mimetype == "application/problem+json"
        assert message in " ".join(response.json["errors"]["json"][element])
        with all_tenants(reason="test: nothing kept"):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(ScormAttempt)) == 0

    def test_the_runtime_needs_the_csrf_token(self, world, client, scorm_course):
        log_in(client, "staff@jelgava.example")
        lesson = sco_lesson(scorm_course)
        response = client.post(f"{JELGAVA}/courses/{scorm_course.id}/lessons/{lesson.id}/scorm/runtime", json={"values": {}})
        assert response.status_code == 400


def test_initials_only():
    assert (scorm.student_name("Anna Bērziņa"), scorm.student_name("Jānis"), scorm.student_name("")) == ("B., A.", "J.", "")


def test_the_demo_has_an_optional_scorm_lesson_in_jelgavas_course(app, app_context):
    from test_demo_courses import load_demo

    load_demo(app)
    course = db.session.scalar(sa.select(Course).where(Course.owner_tenant_id.is_not(None)))
    lesson = sco_lesson(course)
    assert (lesson.title, lesson.required) == ({"lv": "Pārbaudi sevi: aprīkojums"}, False)
