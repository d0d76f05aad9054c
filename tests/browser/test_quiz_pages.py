"""The quiz pages in every language and state (a question unanswered, a refused answer, the result) have no
axe-core WCAG 2.2 A/AA violation, and a member of staff takes a lesson and its quiz to a certificate with the keyboard alone."""
import re

import pytest
import sqlalchemy as sa

from bibnet.elearning import authoring as course_authoring
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson
from bibnet.elearning.quizzes import authoring
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from .conftest import LANGUAGES
from .test_keyboard import Keyboard

pytestmark = pytest.mark.browser

BASE = "/t/jelgava/elearning"


def seed_quiz(app, world) -> dict:
    """Jelgava's published course of one lesson with a quiz: one single-choice and one true-or-false question,
    in English and Latvian (the true-or-false one in English only, so the Latvian reader gets English)."""
    with app.app_context():
        course = Course(owner_tenant_id=world.jelgava_id)
        course_authoring.save_course(course, {"en": "Welcoming visitors", "lv": "Apmeklētāju uzņemšana"}, {})
        db.session.add(course)
        module = CourseModule(course=course)
        course_authoring.save_module(module, {"en": "Before the visit"})
        lesson = Lesson(module=module)
        course_authoring.save_lesson(lesson, {"en": "Preparing the room", "lv": "Telpas sagatavošana"}, {"en": "Dim the lights.", "lv": "Pritumšiniet gaismu."}, True, 10)
        course_authoring.publish(course)
        db.session.flush()
        quiz = authoring.quiz_settings(lesson, None, 100, 3, False, None, True)
        authoring.save_question(
            quiz, None, "single", {"en": "Which light calms a visitor?", "lv": "Kāda gaisma nomierina apmeklētāju?"}, {"en": "Dim light calms.", "lv": "Blāva gaisma nomierina."},
            [({"en": "Dim", "lv": "Blāva"}, True), ({"en": "Bright", "lv": "Spilgta"}, False)],
        )
        authoring.save_question(quiz, None, "true_false", {"en": "You may touch a visitor without asking."}, {}, [], true_answer=False)
        ids = {"course": course.id, "lesson": lesson.id}
        db.session.commit()
        db.session.remove()
    return ids


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_quiz_pages(site, world, browser_app, language):
    ids = seed_quiz(browser_app, world)
    quiz = f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/quiz/"
    site.log_in("staff@jelgava.example")
    site.switch_language(language)
    site.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/", 200)
    site.scan(language, "the lesson with a quiz")
    site.goto(quiz, 200)
    site.scan(language, "/quiz/")
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "/quiz/attempts/<id>/")
    site.page.locator("main fieldset").first.locator("input").nth(1).check()  # a wrong answer
    site.page.locator("main fieldset").nth(1).locator("input").nth(1).check()
    site.submit("main form button[type=submit]", 200)
    site.scan(language, "the result, not passed")
    site.goto(quiz, 200)
    site.scan(language, "/quiz/ with an attempt")
    site.expect_no_sideways_scrolling()
    site.check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_quiz_authoring_pages(site, world, browser_app, language):
    ids = seed_quiz(browser_app, world)
    manage = f"{BASE}/manage/{ids['course']}/lessons/{ids['lesson']}/quiz/"
    site.log_in("coordinator@jelgava.example")
    site.switch_language(language)
    site.goto(manage, 200)
    site.scan(language, "/manage/<id>/lessons/<id>/quiz/")
    site.page.locator("#pass_mark").fill("101")
    site.submit("main form button.btn-primary[type=submit]", 422)
    site.scan(language, "the quiz settings with errors")
    site.goto(manage + "questions/new", 200)
    site.scan(language, "/quiz/questions/new")
    site.submit("main form button[type=submit]", 422)
    site.scan(language, "/quiz/questions/new with errors")
    site.check()


def test_a_member_of_staff_takes_a_lesson_and_its_quiz_to_a_certificate_with_the_keyboard_only(site, world, browser_app, base_url):
    ids = seed_quiz(browser_app, world)
    page = site.page
    keys = Keyboard(page)
    keys.log_in("staff@jelgava.example", base_url)
    page.goto(f"{BASE}/courses/{ids['course']}/lessons/{ids['lesson']}/")
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith("/quiz/"), "the link to the quiz")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/quiz/$"))
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["name"].startswith("button"), "the button that starts the quiz")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.skip_to_main()
    # The first radio of a group takes the focus; the arrow keys choose within the group; Space checks it.
    keys.tab_to(lambda focus: focus["name"].startswith("input"), "the first question's answers")
    page.keyboard.press("Space")  # "Dim": right
    keys.press("Tab")  # the true-or-false question's group
    page.keyboard.press("ArrowDown")  # "False": right
    keys.tab_to(lambda focus: focus["name"].startswith("button"), "the submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/attempts/" in page.url
    assert page.locator("#quiz-result").inner_text().strip().startswith(("Passed", "Nokārtots", "Išlaikyta"))
    with browser_app.app_context(), tenant_scope(world.jelgava_id):
        assert db.session.scalar(sa.select(Enrolment.completed_at).where(Enrolment.user_id == world.staff_user_id)) is not None
        db.session.remove()
    page.goto(f"{BASE}/")  # the completed course offers its certificate
    keys.skip_to_main()
    keys.tab_to(lambda focus: focus["href"].endswith(".pdf") and "/certificates/" in focus["href"], "the link to the certificate")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("certificate-")
    keys.check()
