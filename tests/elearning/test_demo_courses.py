"""The demo's courses: the project's shared course in three languages, Jelgava's own, and staff at every stage."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants

from conftest import log_in


def load_demo(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def test_the_demo_has_the_shared_course_in_three_languages_and_staff_at_every_stage(app, app_context, client):
    load_demo(app)
    shared = db.session.scalar(sa.select(Course).where(Course.project_id.is_not(None)))
    assert sorted(shared.title) == ["en", "lt", "lv"]
    assert shared.title["en"] == "Welcoming visitors to the sensory reading room"
    with all_tenants(reason="test: the demo's enrolments"):
        enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.course_id == shared.id)).all()
        assert sorted(e.completed_at is not None for e in enrolments) == [False, False, True]
        assert any(e.overdue(e.created_at.date()) for e in enrolments)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress).where(LessonProgress.workshop_id.is_not(None))) == 2  # one workshop, module two
    load_demo(app)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 2
    easy_read = db.session.scalars(sa.select(Lesson.easy_read).join(CourseModule).where(CourseModule.course_id == shared.id)).all()
    assert easy_read and all(sorted(texts) == ["en", "lt", "lv"] for texts in easy_read)  # every lesson's easy-read version, in three languages

    log_in(client, "staff@pasvalys.example", "bibnet-demo")
    page = client.get("/t/pasvalys/elearning/").get_data(as_text=True)
    assert "Welcoming visitors to the sensory reading room" in page or "Lankytojų priėmimas sensorinėje skaitykloje" in page
    assert "Jelgavas sensorās istabas aprīkojums" not in page
