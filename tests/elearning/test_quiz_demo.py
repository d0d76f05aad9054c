"""The demo's quiz: the shared course's third lesson has three questions in English, Latvian and Lithuanian, and
Jelgava's member of staff, who completed the course, passed it."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.elearning.models import Course
from bibnet.elearning.quizzes.models import QuizAttempt, QuizQuestion
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants


def test_the_shared_course_has_a_quiz_in_three_languages_that_the_staff_who_completed_it_passed(app, app_context):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    shared = db.session.scalar(sa.select(Course).where(Course.project_id.is_not(None)))
    questions = db.session.scalars(sa.select(QuizQuestion)).all()
    assert len(questions) >= 3 and all(sorted(question.text) == ["en", "lt", "lv"] for question in questions)
    with all_tenants(reason="test: the demo's quiz attempts"):
        attempts = db.session.scalars(sa.select(QuizAttempt)).all()
        assert [(attempt.passed, attempt.correct_count, attempt.question_count) for attempt in attempts] == [(True, 3, 3)]
        assert shared.id is not None
