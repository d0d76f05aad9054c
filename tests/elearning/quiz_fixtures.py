"""A quiz on a course's first lesson for the quiz tests, built through the authoring services as the pages build it."""
from elearning_fixtures import make_course
import sqlalchemy as sa

from bibnet.elearning import learning
from bibnet.elearning.models import Course, CourseModule
from bibnet.elearning.quizzes import authoring, services
from bibnet.elearning.quizzes.models import QuizAttempt
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

QUIZ_BASE = "/t/jelgava/elearning/courses/{course}/lessons/{lesson}/quiz"


def make_quiz(owner_tenant=None, project=None, pass_mark=50, attempt_limit=None, shuffle=False, draw_count=None, published=True, lessons=(("One", True),)):
    """A course whose first lesson has a quiz: a single-choice, a multiple-choice and a true-or-false question.
    Returns the course (with its modules and lessons loaded), the lesson and the quiz; reload after a commit."""
    course = make_course(owner_tenant=owner_tenant, project=project, lessons=lessons, published=published)
    course = reload(course)
    lesson = learning.lessons_in_order(course)[0]
    quiz = authoring.quiz_settings(lesson, None, pass_mark, attempt_limit, shuffle, draw_count, True)
    authoring.save_question(
        quiz, None, "single", {"en": "Which light?", "lv": "Kāda gaisma?"}, {"en": "Dim light calms."},
        [({"en": "Dim"}, True), ({"en": "Bright"}, False), ({"en": "Flashing"}, False)],
    )
    authoring.save_question(
        quiz, None, "multiple", {"en": "What helps?"}, {},
        [({"en": "Names"}, True), ({"en": "Showing"}, True), ({"en": "Shouting"}, False)],
    )
    authoring.save_question(quiz, None, "true_false", {"en": "Touch without asking."}, {}, [], true_answer=False)
    db.session.commit()
    course = reload(course)
    lesson = learning.lessons_in_order(course)[0]
    return course, lesson, services.quiz_of_lesson(lesson.id)


def reload(course):
    from sqlalchemy.orm import selectinload

    db.session.expire_all()
    return db.session.scalar(sa.select(Course).where(Course.id == course.id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))


def right_answers(attempt, quiz) -> dict[int, list[int]]:
    return {question.id: [option.id for option in options if option.correct] for question, options in services.shown(attempt, quiz)}


def wrong_answers(attempt, quiz) -> dict[int, list[int]]:
    return {question.id: [next(option.id for option in options if not option.correct)] for question, options in services.shown(attempt, quiz)}


def attempts_in(tenant) -> list[QuizAttempt]:
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)).all()
