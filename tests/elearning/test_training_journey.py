"""Issue 11, done when: on the demo, a member of staff takes the project's shared course in Latvian to a
certificate whose code verifies on the public page; their coordinator sees the completion in the progress
matrix, and the project's lead sees the staff trained per partner in the funding report."""
import csv
from datetime import UTC, datetime
import io
import re

import pypdf
import sqlalchemy as sa
from test_demo_courses import load_demo

from bibnet import demo
from bibnet.accounts.models import User
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.elearning.quizzes.models import Quiz, QuizOption, QuizQuestion
from bibnet.extensions import db
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant

from conftest import csrf_token, log_in

BASE = "/t/augsdaugava/elearning"
STAFF = "staff@augsdaugava.example"  # overdue in the shared course; a workshop covered its second module
CODE = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b")


def _shared_course() -> Course:
    return db.session.scalar(sa.select(Course).where(Course.project_id.is_not(None)))


def _lessons(course: Course) -> list[Lesson]:
    return list(db.session.scalars(
        sa.select(Lesson).join(CourseModule).where(CourseModule.course_id == course.id).order_by(CourseModule.position, Lesson.position, Lesson.id)
    ))


def _right_answers(lesson: Lesson) -> dict[str, list[str]] | None:
    """What a learner who read the lesson ticks: the form fields of its quiz (None: the lesson has no quiz)."""
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == lesson.id))
    if quiz is None:
        return None
    right = db.session.execute(
        sa.select(QuizQuestion.id, QuizOption.id).join(QuizOption, QuizOption.question_id == QuizQuestion.id).where(QuizQuestion.quiz_id == quiz.id, QuizOption.correct)
    ).all()
    answers: dict[str, list[str]] = {}
    for question_id, option_id in right:
        answers.setdefault(f"answers_{question_id}", []).append(str(option_id))
    return answers


def _take(client, course: Course, lesson: Lesson) -> None:
    """Read the lesson; then mark it done, or pass its quiz."""
    url = f"{BASE}/courses/{course.id}/lessons/{lesson.id}/"
    page = client.get(url)
    assert page.status_code == 200
    answers = _right_answers(lesson)
    if answers is None:
        response = client.post(url + "done", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 302
        return
    started = client.post(url + "quiz/start", data={"csrf_token": csrf_token(client.get(url + "quiz/").get_data(as_text=True))})
    assert started.status_code == 302
    attempt = started.headers["Location"]
    form = client.get(attempt)
    for name in answers:  # the attempt shows every question drawn, each with its options
        assert f'name="{name}"' in form.get_data(as_text=True)
    result = client.post(attempt, data={**answers, "csrf_token": csrf_token(form.get_data(as_text=True))})
    assert result.status_code in (200, 302)


def test_a_member_of_staff_takes_the_shared_course_in_latvian_to_a_certificate_that_verifies_and_counts(app, app_context, client):
    load_demo(app)
    course = _shared_course()
    log_in(client, STAFF, demo.PASSWORD)
    learner_name = db.session.scalar(sa.select(User.name).where(User.email == STAFF))

    my_courses = client.get(f"{BASE}/").get_data(as_text=True)
    assert course.title["lv"] in my_courses  # Augšdaugava's staff read Latvian
    for lesson in _lessons(course):
        _take(client, course, lesson)

    certificates = client.get(f"{BASE}/certificates/").get_data(as_text=True)
    (pdf_path,) = set(re.findall(r'href="([^"]+/certificates/\d+\.pdf)"', certificates))
    pdf = client.get(pdf_path)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert course.title["lv"] in text.replace("\n", " ")
    code = CODE.search(text).group()

    anyone = app.test_client()  # no log-in
    verified = anyone.get(f"/verify/{code.lower().replace('-', '')}")  # typed by hand: any case, no dash
    page = verified.get_data(as_text=True)
    assert verified.status_code == 200
    assert "Augšdaugava" in page and "staff@augsdaugava.example" not in page

    coordinator = app.test_client()
    log_in(coordinator, "coordinator@augsdaugava.example", demo.PASSWORD)
    matrix = coordinator.get(f"{BASE}/manage/progress").get_data(as_text=True)
    staff_row = next(row for row in re.findall(r"<tr>.*?</tr>", matrix, re.S) if learner_name in row)
    assert re.search(r"(pabeigts|completed on)", staff_row)  # in the coordinator's language

    lead = app.test_client()
    log_in(lead, "lead@pasvalys.example", demo.PASSWORD)
    project = db.session.scalar(sa.select(Project))
    today = datetime.now(UTC).date()
    period = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.project_id == project.id, ReportingPeriod.starts_on <= today, ReportingPeriod.ends_on >= today))
    report = lead.get(f"/projects/{project.id}/funding/report.csv?period={period.number}")
    assert report.status_code == 200
    lines = list(csv.reader(io.StringIO(report.get_data(as_text=True).lstrip("\ufeff"))))
    header = next(line for line in lines if line and line[0] == "Indicator")
    trained = next(line for line in lines if line and line[0] == "Staff who completed a course")
    augsdaugava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "augsdaugava"))
    column = header.index(next(partner.code for partner in project.partners if partner.tenant_id == augsdaugava.id))
    assert trained[column] == "<5"  # one person: counted, and shown as a small count, never as who
