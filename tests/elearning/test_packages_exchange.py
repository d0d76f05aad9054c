"""A course travels as a zip (course.yaml, one Markdown file per lesson and language, media): exported as a stream,
imported as a new draft of the library or the project with the same structure and texts, and refused whole, with
the reason and the file named, when anything in it is wrong."""
import io
import zipfile

from elearning_fixtures import make_course
from elearning_media_fixtures import PNG, add_media
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
import yaml

from bibnet.elearning import authoring, media
from bibnet.elearning.models import Course, CourseMedia, CourseModule, CourseStatus, Lesson
from bibnet.elearning.packages import exchange
from bibnet.elearning.packages.references import renamed
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope

from conftest import csrf_token, log_in

JELGAVA = "/t/jelgava/elearning"


def structure(course: Course) -> dict:
    """What a package must carry over: titles, summaries, modules, lessons with texts, required and minutes (the
    course's files named by their file name, as ids differ from course to course)."""
    names = {f"media:{item.id}": f"media:{item.filename}" for item in db.session.scalars(sa.select(CourseMedia).where(CourseMedia.course_id == course.id))}
    return {
        "title": course.title, "summary": course.summary,
        "modules": [
            {"title": module.title, "lessons": [(lesson.title, {locale: renamed(markdown, names) for locale, markdown in lesson.content.items()}, lesson.required, lesson.estimated_minutes) for lesson in module.lessons]}
            for module in db.session.scalars(
                sa.select(CourseModule).where(CourseModule.course_id == course.id).options(selectinload(CourseModule.lessons)).order_by(CourseModule.position)
            )
        ],
    }


def loaded(course_id: int) -> Course:
    """The course with its modules and lessons, as the pages' loader gives it."""
    db.session.expire_all()
    return db.session.scalar(sa.select(Course).where(Course.id == course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))


def two_language_course(world) -> Course:
    made = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, languages=("en", "lv"))
    door = add_media(made, PNG, "door.png")
    course = loaded(made.id)
    module = CourseModule(course=course)
    authoring.save_module(module, {"en": "After the visit", "lt": "Po apsilankymo"})
    authoring.save_lesson(Lesson(module=module), {"en": "Saying goodbye"}, {"en": f"Wave.\n\n![The reading room's door](media:{door.id})"}, False, 75)
    db.session.commit()
    return loaded(course.id)


def exported(course) -> bytes:
    return b"".join(exchange.stream_zip(exchange.export_parts(loaded(course.id))))


def package(document: dict, **extra_files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.yaml", yaml.safe_dump(document, allow_unicode=True))
        for path, data in extra_files.items():
            archive.writestr(path.replace("__", "/"), data)
    return buffer.getvalue()


def document(**changes) -> dict:
    base = {
        "format": "bibnet-course", "version": 1, "languages": ["en"], "title": {"en": "Imported"},
        "modules": [{"title": {"en": "Module"}, "lessons": [{"file": "01-01", "title": {"en": "Lesson"}, "required": True, "minutes": 5}]}],
    }
    base.update(changes)
    return base


def courses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Course))


class TestExport:
    def test_the_package_has_course_yaml_a_markdown_file_per_lesson_and_language_and_the_media(self, world):
        course = two_language_course(world)
        archive = zipfile.ZipFile(io.BytesIO(exported(course)))
        assert archive.namelist() == [
            "course.yaml", "media/door.png", "lessons/01-01.en.md", "lessons/01-01.lv.md", "lessons/01-02.en.md", "lessons/01-02.lv.md",
            "lessons/01-03.en.md", "lessons/01-03.lv.md", "lessons/02-01.en.md",
        ]
        meta = yaml.safe_load(archive.read("course.yaml"))
        assert (meta["format"], meta["version"], meta["languages"]) == ("bibnet-course", 2, ["en", "lt", "lv"])
        assert meta["title"] == {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}
        assert meta["modules"][1] == {"title": {"en": "After the visit", "lt": "Po apsilankymo"}, "lessons": [
            {"file": "02-01", "title": {"en": "Saying goodbye"}, "required": False, "minutes": 75}]}
        assert archive.read("lessons/01-02.lv.md").decode() == "Text of Two in lv."
        assert archive.read("media/door.png") == PNG
        assert archive.read("lessons/02-01.en.md").decode() == "Wave.\n\n![The reading room's door](media/door.png)"

    def test_the_download_streams_to_the_courses_author(self, world, client):
        course = two_language_course(world)
        log_in(client, "coordinator@jelgava.example")
        response = client.get(f"{JELGAVA}/manage/{course.id}/package.zip")
        assert response.status_code == 200 and response.is_streamed
        assert response.headers["Content-Disposition"] == f'attachment; filename="course-{course.id}.zip"'
        assert "course.yaml" in zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()

    def test_staff_cannot_export(self, world, client):
        course = two_language_course(world)
        log_in(client, "staff@jelgava.example")
        assert client.get(f"{JELGAVA}/manage/{course.id}/package.zip").status_code == 403


class TestImport:
    def test_a_round_trip_gives_the_same_structure_and_texts_as_a_new_draft(self, world):
        course = two_language_course(world)
        with tenant_scope(world.jelgava):
            copy = exchange.import_package(exported(course), "en", owner_tenant_id=world.jelgava.id)
            db.session.commit()
        assert copy.id != course.id and copy.status is CourseStatus.DRAFT and copy.owner_tenant_id == world.jelgava.id
        assert structure(copy) == structure(course)
        door = db.session.scalar(sa.select(CourseMedia).where(CourseMedia.course_id == copy.id))
        assert (door.filename, door.kind.value, media.reader(door)()) == ("door.png", "image", PNG)

    def test_the_lead_imports_into_the_project(self, world, client):
        course = two_language_course(world)
        log_in(client, "lead@pasvalys.example")
        url = f"/projects/{world.project.id}/elearning/manage/import"
        token = csrf_token(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(exported(course)), "course.zip")})
        assert response.status_code == 302, response.get_data(as_text=True)
        copy = db.session.scalar(sa.select(Course).where(Course.project_id == world.project.id))
        assert structure(copy) == structure(course)

    def test_a_coordinator_imports_through_the_page(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        token = csrf_token(client.get(f"{JELGAVA}/manage/import").get_data(as_text=True))
        data = package(document(), **{"lessons__01-01.en.md": "Hello."})
        response = client.post(f"{JELGAVA}/manage/import", data={"csrf_token": token, "file": (io.BytesIO(data), "course.zip")})
        assert response.status_code == 302
        course = db.session.scalar(sa.select(Course))
        assert (course.title, course.owner_tenant_id, course.status) == ({"en": "Imported"}, world.jelgava.id, CourseStatus.DRAFT)

    @pytest.mark.parametrize(("data", "reason"), [
        (lambda: package(document(format="moodle")), "not a BibNet course package"),
        (lambda: package(document(version=3)), "newer BibNet"),
        (lambda: package(document(title={"de": "Kurs"})), "de is not a language"),
        (lambda: package(document(modules=[{"title": {"en": "M"}, "lessons": [{"file": "01-01", "title": {"en": "L"}, "minutes": 9000}]}])), "minutes"),
        (lambda: package(document(), **{"lessons__01-01.en.md": "![](room.jpg)"}), "alt text"),
        (lambda: package(document(), **{"lessons__01-01.en.md": b"\xff\xfe bad"}), "not UTF-8"),
        (lambda: package(document(), **{"lessons__09-09.en.md": "Stray"}), "no lesson of course.yaml"),
        (lambda: package(document(), **{"notes.txt": "?"}), "notes.txt is not part of"),
        (lambda: package(document(), **{"media__bad name.png": PNG}), "media/bad name.png"),
        (lambda: package(document(), **{"../evil.md": "x"}), "points outside"),
        (lambda: b"not a zip", "not a zip archive"),
        (lambda: _zip({"course.yaml": "a: &a [1]\nb: *a\n"}), "anchors and aliases"),
        (lambda: _zip({"course.yaml": "format: [unclosed"}), "cannot be read"),
        (lambda: _zip({"other.txt": "x"}), "neither course.yaml"),
    ])
    def test_a_bad_package_is_refused_naming_why_and_nothing_is_imported(self, world, data, reason):
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            exchange.import_package(data(), "en", owner_tenant_id=world.jelgava.id)
        assert reason in refused.value.summary()

    def test_a_refusal_late_in_the_import_leaves_nothing_behind(self, world, client):
        """The second lesson breaks a rule only the authoring service checks, after the course, its module and the
        first lesson were created in the transaction: the page shows the reason and no row remains."""
        lessons = [{"file": "01-01", "title": {"en": "Fine"}}, {"file": "01-02", "title": {"en": "Broken"}}]
        data = package(
            document(modules=[{"title": {"en": "M"}, "lessons": lessons}]),
            **{"lessons__01-01.en.md": "Fine.", "lessons__01-02.en.md": "![](room.jpg)", "media__door.png": PNG},
        )
        log_in(client, "coordinator@jelgava.example")
        token = csrf_token(client.get(f"{JELGAVA}/manage/import").get_data(as_text=True))
        response = client.post(f"{JELGAVA}/manage/import", data={"csrf_token": token, "file": (io.BytesIO(data), "course.zip")})
        assert response.status_code == 422
        assert "lessons/01-02" in response.get_data(as_text=True) and "alt text" in response.get_data(as_text=True)
        db.session.rollback()
        assert courses() == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Lesson)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseMedia)) == 0


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
