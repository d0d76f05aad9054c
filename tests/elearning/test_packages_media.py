"""A course's files travel in its package: every file of the course under media/ with a readable name, the lessons'
`media:12` written as `media/door.png` (and back to the new course's ids on import), the easy-read versions as
their own Markdown files and the audio version in course.yaml. An imported file passes the checks of an upload
(its kind read from its content, the size limits) and must be what its name says; the lessons then pass the
editor's checks. A refusal names the file, and leaves neither rows nor stored bytes behind."""
import importlib.util
import io
from pathlib import Path
import zipfile

from alembic.migration import MigrationContext
from alembic.operations import Operations
from elearning_fixtures import make_course
from elearning_media_fixtures import EXECUTABLE, MP3, MP4, PNG, VTT, add_media
from flask import current_app
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
import yaml

from bibnet.db import owner_engine
from bibnet.elearning import authoring, content, media
from bibnet.elearning.models import Course, CourseMedia, CourseModule, Lesson, MediaKind
from bibnet.elearning.packages import exchange
from bibnet.elearning.packages.course_parts import package_name
from bibnet.elearning.packages.models import ScormFile, ScormPackage
from bibnet.elearning.packages.references import renamed
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.tenancy.context import tenant_scope

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def loaded(course_id: int) -> Course:
    db.session.expire_all()
    return db.session.scalar(sa.select(Course).where(Course.id == course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))


def lessons_of(course: Course) -> list[Lesson]:
    return [lesson for module in loaded(course.id).modules for lesson in module.lessons]


def files_of(course: Course) -> dict[int, CourseMedia]:
    return {item.id: item for item in db.session.scalars(sa.select(CourseMedia).where(CourseMedia.course_id == course.id))}


def course_with_media(world) -> Course:
    """Images with alt text, a video with captions, an audio version of a lesson, easy-read versions in lv and en
    (one of them showing an image too)."""
    made = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, languages=("en", "lv"))
    door, tube = add_media(made, PNG, "door.png"), add_media(made, JPEG, "Burbuļu kolonna (zila).jpg")
    video, captions = add_media(made, MP4, "welcome.mp4"), add_media(made, VTT, "welcome.vtt")
    reading = add_media(made, MP3, "reading.mp3")
    first = lessons_of(made)[0]
    authoring.save_lesson(
        first, {"en": "One", "lv": "Viens"},
        {
            "en": f"![The reading room's door](media:{door.id})\n\n![Welcoming a visitor](media:{video.id} \"media:{captions.id}\")",
            "lv": f"![Lasītavas durvis](media:{door.id})\n\n![Burbuļu kolonna](media:{tube.id})",
        },
        True, 10,
        easy_read={"en": f"Come in.\n\n![The door](media:{door.id})", "lv": "Nāc iekšā."},
        audio=reading,
    )
    db.session.commit()
    return made


def exported(course: Course) -> bytes:
    return b"".join(exchange.stream_zip(exchange.export_parts(loaded(course.id))))


def imported(world, data: bytes) -> Course:
    with tenant_scope(world.jelgava):
        copy = exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
        db.session.commit()
    return copy


def texts_by_file_name(course: Course) -> list:
    """Each lesson's texts and audio version, the course's files named by their bytes (ids differ per course)."""
    names = {f"media:{item.id}": f"media:{media.reader(item)()!r}" for item in files_of(course).values()}
    by_id = {item.id: media.reader(item)() for item in files_of(course).values()}
    return [
        (
            {locale: renamed(text, names) for locale, text in lesson.content.items()},
            {locale: renamed(text, names) for locale, text in lesson.easy_read.items()},
            by_id.get(lesson.audio_media_id),
        )
        for lesson in lessons_of(course)
    ]


def editors_problems(course: Course) -> list:
    known = media.kinds_of_course(course.id)
    return [
        problem for lesson in lessons_of(course) for texts in (lesson.content, lesson.easy_read)
        for text in texts.values() for problem in content.accessibility_problems(text, known)
    ]


def package(modules_lessons: list, version: int = 2, **extra_files) -> bytes:
    document = {"format": "bibnet-course", "version": version, "title": {"en": "Imported"}, "modules": [{"title": {"en": "M"}, "lessons": modules_lessons}]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course.yaml", yaml.safe_dump(document, allow_unicode=True))
        for path, data in extra_files.items():
            archive.writestr(path.replace("__", "/"), data)
    return buffer.getvalue()


LESSON = {"file": "01-01", "title": {"en": "Lesson"}}


def counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(table)) for table in (Course, Lesson, CourseMedia))


class TestExport:
    def test_every_file_of_the_course_is_in_media_with_a_safe_unique_name_and_the_texts_name_them_so(self, world):
        course = course_with_media(world)
        add_media(course, PNG, "door.png")  # the same name twice: the second gets another
        archive = zipfile.ZipFile(io.BytesIO(exported(course)))
        names = [name for name in archive.namelist() if name.startswith("media/")]
        assert names == ["media/door.png", "media/Burbulu-kolonna-zila.jpg", "media/welcome.mp4", "media/welcome.vtt", "media/reading.mp3", "media/door-2.png"]
        assert archive.read("lessons/01-01.en.md").decode() == (
            "![The reading room's door](media/door.png)\n\n![Welcoming a visitor](media/welcome.mp4 \"media/welcome.vtt\")"
        )
        assert archive.read("lessons/01-01.easy.en.md").decode() == "Come in.\n\n![The door](media/door.png)"
        assert archive.read("lessons/01-01.easy.lv.md").decode() == "Nāc iekšā."
        document = yaml.safe_load(archive.read("course.yaml"))
        assert document["version"] == 2
        assert document["modules"][0]["lessons"][0]["audio"] == "media/reading.mp3"
        assert "audio" not in document["modules"][0]["lessons"][1]

    @pytest.mark.parametrize(("filename", "kind", "content_type", "name"), [
        ("../../etc/passwd", MediaKind.DOCUMENT, "text/plain", "etc-passwd.txt"),
        ("Ūdens burbuļi.PNG", MediaKind.IMAGE, "image/png", "Udens-burbuli.png"),
        ("welcome.png", MediaKind.VIDEO, "video/mp4", "welcome.mp4"),  # an upload's name may lie; the package's may not
        ("…", MediaKind.CAPTIONS, "text/vtt", "file.vtt"),
        ("interview.mp4", MediaKind.AUDIO, "audio/mp4", "interview.m4a"),
    ])
    def test_a_files_name_in_the_package_is_safe_and_says_its_kind(self, filename, kind, content_type, name):
        item = CourseMedia(filename=filename, kind=kind, content_type=content_type)
        assert package_name(item, set()) == name


class TestRoundTrip:
    def test_texts_media_easy_read_and_audio_come_back_with_new_ids_the_same_bytes_and_pass_the_editors_checks(self, world):
        course = course_with_media(world)
        copy = imported(world, exported(course))
        assert copy.id != course.id
        assert texts_by_file_name(copy) == texts_by_file_name(course)
        assert sorted(media.reader(item)() for item in files_of(copy).values()) == sorted(media.reader(item)() for item in files_of(course).values())
        assert {item.kind for item in files_of(copy).values()} == {MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.CAPTIONS, MediaKind.AUDIO}
        first = lessons_of(copy)[0]
        assert set(content.media_used(first.content["en"])) <= set(files_of(copy)) and first.audio_media_id in files_of(copy)
        assert first.easy_read.keys() == {"en", "lv"}
        assert editors_problems(copy) == [] == editors_problems(course)

    def test_a_version_1_package_still_imports_its_media_named_as_paths(self, world):
        copy = imported(world, package([LESSON], version=1, **{"lessons__01-01.en.md": "![The door](media/door.png)", "media__door.png": PNG}))
        door = next(iter(files_of(copy).values()))
        assert lessons_of(copy)[0].content["en"] == f"![The door](media:{door.id})"


class TestRefusals:
    @pytest.mark.parametrize(("files", "reason"), [
        ({"lessons__01-01.en.md": "![The door](media/door.png)"}, "lessons/01-01.en.md: media/door.png is not in the package"),
        ({"lessons__01-01.en.md": "Hi.", "lessons__01-01.easy.en.md": "[Leaflet](media/leaflet.pdf)"}, "lessons/01-01.easy.en.md: media/leaflet.pdf is not in the package"),
        ({"lessons__01-01.en.md": "![The door](media:12)"}, "media:12 is a file of the course it was exported from"),
        ({"lessons__01-01.en.md": "Hi.", "media__door.png": HTML}, "media/door.png: the file's content is not what its name says (image)"),
        ({"lessons__01-01.en.md": "Hi.", "media__door.png": EXECUTABLE}, "media/door.png: This type of file is not accepted"),
        ({"lessons__01-01.en.md": "Hi.", "media__big.png": PNG + b"\0" * (5 * 1024 * 1024)}, "media/big.png: An image can be at most 5 MB"),
        ({"lessons__01-01.en.md": "Hi.", "media__empty.txt": b""}, "media/empty.txt: The file is empty"),
        ({"lessons__01-01.en.md": "Hi.", "lessons__01-01.easy.de.md": "Hallo."}, "de is not a language"),
        ({"lessons__01-01.en.md": "Hi.", "lessons__02-01.easy.en.md": "Stray."}, "lessons/02-01.easy.en.md: no lesson of course.yaml"),
    ])
    def test_a_bad_media_file_or_reference_is_refused_naming_it_and_nothing_is_imported(self, world, files, reason):
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            exchange.import_package(package([LESSON], **files), "en", owner_tenant_id=world.jelgava.id)
        assert reason in refused.value.summary()
        db.session.rollback()
        assert counts() == (0, 0, 0)

    def test_an_audio_version_that_is_no_audio_is_refused_by_the_editors_rule(self, world):
        data = package([{**LESSON, "audio": "media/door.png"}], **{"lessons__01-01.en.md": "Hi.", "media__door.png": PNG})
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
        assert "lessons/01-01: Choose an audio file of this course" in refused.value.summary()

    def test_an_audio_version_missing_from_the_package_is_refused_naming_it(self, world):
        data = package([{**LESSON, "audio": "media/reading.mp3"}], **{"lessons__01-01.en.md": "Hi."})
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
        assert "media/reading.mp3 is not in the package's media/ folder" in refused.value.summary()

    def test_a_refusal_after_the_files_were_stored_leaves_no_bytes_behind(self, world):
        """The editor's check of the lesson runs once the files exist (it reads their kinds): a video without
        captions is refused then, and the video's stored bytes are deleted with the rolled-back rows."""
        stored = []
        original_upload = media.upload

        def recording_upload(*args, **kwargs):
            item = original_upload(*args, **kwargs)
            stored.append(item.key)
            return item

        data = package([LESSON], **{"lessons__01-01.en.md": "![Welcoming a visitor](media/welcome.mp4)", "media__welcome.mp4": MP4})
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused, pytest.MonkeyPatch.context() as patch:
            patch.setattr(media, "upload", recording_upload)
            exchange.import_package(data, "en", owner_tenant_id=world.jelgava.id)
        assert "Every video and audio needs captions or a transcript" in refused.value.summary()
        db.session.rollback()
        assert len(stored) == 1
        with pytest.raises(FileNotFoundError):
            get_storage().open(stored[0])
        assert counts() == (0, 0, 0)


MIGRATION = next((Path(__file__).parents[2] / "migrations" / "versions").glob("*_7d3f2a6c9e18_*.py"))
LEGACY_FILES = sa.table(
    "course_file", sa.column("course_id", sa.Integer), sa.column("path", sa.String), sa.column("key", sa.String),
    sa.column("content_type", sa.String), sa.column("size", sa.Integer),
)


def run_migration(step: str) -> None:
    spec = importlib.util.spec_from_file_location("scorm_files_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.commit()
    # As the tables' owner, as migrations run: the app's role may not change tables.
    with owner_engine(current_app).begin() as connection, Operations.context(MigrationContext.configure(connection)):
        getattr(migration, step)()


class TestTheMigrationOfEarlierImports:
    def test_media_of_earlier_imports_become_the_courses_files_and_scorm_files_their_packages(self, world):
        """Packages imported before kept media as course files that lessons named by path and a route (now gone)
        served, and SCORM files by their path in the course: the migration makes the media the course's files,
        named `media:<id>` in the texts, and the SCORM files their package's."""
        course = make_course(owner_tenant=world.jelgava)
        first, second = lessons_of(course)[:2]
        first.content = {"en": "![The door](media/door.png) [Leaflet](media/leaflet.html) media/door.png.txt"}
        first.easy_read = None  # as rows written before easy-read versions existed
        package = ScormPackage(lesson_id=second.id, launch="index.html")
        db.session.add(package)
        db.session.commit()
        package_id = package.id
        run_migration("downgrade")
        try:
            with db.engine.begin() as connection:
                connection.execute(LEGACY_FILES.insert(), [
                    {"course_id": course.id, "path": "media/door.png", "key": "courses/old/door", "content_type": "image/png", "size": 3},
                    {"course_id": course.id, "path": "media/leaflet.html", "key": "courses/old/leaflet", "content_type": "text/html; charset=utf-8", "size": 3},
                    {"course_id": course.id, "path": f"scorm/{package_id}/js/sco.js", "key": "courses/old/sco", "content_type": "text/javascript", "size": 3},
                ])
        finally:
            run_migration("upgrade")
        door, leaflet = sorted(files_of(course).values(), key=lambda item: item.id)
        assert (door.kind, door.filename, door.content_type, door.key) == (MediaKind.IMAGE, "door.png", "image/png", "courses/old/door")
        assert (leaflet.kind, leaflet.content_type) == (MediaKind.DOCUMENT, "application/octet-stream")  # a download, never a page
        assert lessons_of(course)[0].content["en"] == f"![The door](media:{door.id}) [Leaflet](media:{leaflet.id}) media/door.png.txt"
        sco = db.session.scalar(sa.select(ScormFile))
        assert (sco.package_id, sco.path, sco.key) == (package_id, "js/sco.js", "courses/old/sco")
