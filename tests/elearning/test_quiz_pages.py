"""The quiz pages and API: a learner takes a quiz as a plain form, the server scores it whatever the browser
sends, the lesson page leads to the quiz, authors write questions, other libraries see nothing, and answers
are erased on time."""
from datetime import timedelta

from quiz_fixtures import QUIZ_BASE, attempts_in, make_quiz, right_answers, wrong_answers
import sqlalchemy as sa

from bibnet import retention
from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.elearning.models import Enrolment
from bibnet.elearning.quizzes import services
from bibnet.elearning.quizzes.models import QuizAttempt
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import csrf_token, log_in


def start(client, course, lesson):
    base = QUIZ_BASE.format(course=course.id, lesson=lesson.id)
    page = client.get(f"{base}/")
    assert page.status_code == 200
    response = client.post(f"{base}/start", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    return response.headers["Location"]


def the_attempt(world) -> QuizAttempt:
    return attempts_in(world.jelgava)[-1]


def submit(client, url, answers: dict, extra: dict | None = None):
    page = client.get(url)
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), **(extra or {})}
    for question_id, option_ids in answers.items():
        data[f"answers_{question_id}"] = [str(i) for i in option_ids]
    return client.post(url, data=data)


class TestTakingAQuiz:
    def test_the_lesson_page_offers_the_quiz_instead_of_marking_it_done(self, world, client):
        course, lesson, _quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        page = client.get(f"/t/jelgava/elearning/courses/{course.id}/lessons/{lesson.id}/").get_data(as_text=True)
        assert "Open the quiz" in page and "Mark as done" not in page
        token = csrf_token(page)
        assert client.post(f"/t/jelgava/elearning/courses/{course.id}/lessons/{lesson.id}/done", data={"csrf_token": token}).status_code == 422
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0

    def test_the_form_has_a_fieldset_per_question_and_labelled_inputs(self, world, client):
        course, lesson, _quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        page = client.get(start(client, course, lesson)).get_data(as_text=True)
        assert page.count("<fieldset") == 3 and page.count("<legend") == 3
        assert page.count('type="radio"') == 5 and page.count('type="checkbox"') == 3
        assert page.count("<label") == 8 and "True or false?" in page

    def test_passing_by_the_form_completes_the_lesson_and_shows_feedback(self, world, client):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        url = start(client, course, lesson)
        response = submit(client, url, right_answers(the_attempt(world), quiz))
        assert response.status_code == 302
        result = client.get(url).get_data(as_text=True)
        assert "Passed" in result and "3 of 3" in result and "Dim light calms." in result
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(Enrolment.completed_at)) is not None

    def test_the_server_ignores_a_score_sent_by_the_browser(self, world, client):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        url = start(client, course, lesson)
        submit(client, url, wrong_answers(the_attempt(world), quiz), {"score": "100", "passed": "1", "correct_count": "3"})
        attempt = the_attempt(world)
        assert (attempt.correct_count, attempt.passed) == (0, False)

    def test_a_bad_answer_shows_the_form_again_and_changes_nothing(self, world, client):
        course, lesson, _quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        url = start(client, course, lesson)
        single = next(q for q in services.quiz_of_lesson(lesson.id).questions if q.kind.value == "single")
        response = submit(client, url, {single.id: [single.options[0].id, single.options[1].id]})
        assert response.status_code == 422 and "Choose only one answer" in response.get_data(as_text=True)
        assert the_attempt(world).submitted_at is None

    def test_a_submitted_attempt_sent_again_keeps_its_result(self, world, client):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        url = start(client, course, lesson)
        wrong = wrong_answers(the_attempt(world), quiz)
        submit(client, url, wrong)
        token = csrf_token(client.get(f"/t/jelgava/elearning/courses/{course.id}/").get_data(as_text=True))
        data = {"csrf_token": token, **{f"answers_{q}": [str(i) for i in ids] for q, ids in right_answers(the_attempt(world), quiz).items()}}
        client.post(url, data=data)
        assert [a.passed for a in attempts_in(world.jelgava)] == [False]


class TestAuthoring:
    def test_a_coordinator_adds_a_quiz_and_a_question_in_two_languages(self, world, client):
        from elearning_fixtures import lesson_ids, make_course

        course = make_course(owner_tenant=world.jelgava)
        lesson_id = lesson_ids(course)[0]
        log_in(client, "coordinator@jelgava.example")
        base = f"/t/jelgava/elearning/manage/{course.id}/lessons/{lesson_id}/quiz"
        token = csrf_token(client.get(f"{base}/").get_data(as_text=True))
        assert client.post(f"{base}/", data={"csrf_token": token, "pass_mark": "75", "attempt_limit": "", "draw_count": "", "show_feedback": "y"}).status_code == 302
        response = client.post(f"{base}/questions/new", data={
            "csrf_token": token, "kind": "single", "text_en": "Which light?", "text_lv": "Kāda gaisma?", "true_answer": "true",
            "option_1_text_en": "Dim", "option_1_text_lv": "Blāva", "option_1_correct": "y", "option_2_text_en": "Bright",
        })
        assert response.status_code == 302
        quiz = services.quiz_of_lesson(lesson_id)
        assert (quiz.pass_mark, quiz.attempt_limit) == (75, None)
        assert [(o.text, o.correct) for o in quiz.questions[0].options] == [({"en": "Dim", "lv": "Blāva"}, True), ({"en": "Bright"}, False)]

    def test_a_question_without_a_right_answer_is_refused_with_its_field(self, world, client):
        course, lesson, _quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        url = f"/t/jelgava/elearning/manage/{course.id}/lessons/{lesson.id}/quiz/questions/new"
        token = csrf_token(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, "kind": "multiple", "text_en": "Q", "option_1_text_en": "A", "option_2_text_en": "B", "true_answer": "true"})
        assert response.status_code == 422 and "Mark at least one answer as right." in response.get_data(as_text=True)
        assert len(services.quiz_of_lesson(lesson.id).questions) == 3

    def test_a_partner_cannot_edit_the_projects_quiz_and_its_lead_can(self, app, world, client):
        course, lesson, _quiz = make_quiz(project=world.project)
        log_in(client, "coordinator@jelgava.example")
        assert client.get(f"/t/jelgava/elearning/manage/{course.id}/lessons/{lesson.id}/quiz/").status_code in (403, 404)
        lead = app.test_client()
        log_in(lead, "lead@pasvalys.example")
        assert lead.get(f"/projects/{world.project.id}/elearning/manage/{course.id}/lessons/{lesson.id}/quiz/").status_code == 200


class TestIsolation:
    def test_another_librarys_attempts_are_invisible(self, world, client):
        course, lesson, quiz = make_quiz(project=world.project)
        with tenant_scope(world.pasvalys):
            theirs = services.start_attempt(course, lesson, quiz, world.other_staff)
            db.session.commit()
            theirs_id = theirs.id
        log_in(client, "staff@jelgava.example")
        base = QUIZ_BASE.format(course=course.id, lesson=lesson.id)
        assert client.get(f"{base}/attempts/{theirs_id}/").status_code == 404
        assert "attempts/" not in client.get(f"{base}/").get_data(as_text=True)


class TestApi:
    def test_the_quiz_has_no_right_answers_and_the_server_scores_the_submission(self, world, client):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        secret = issue_api_token(world.staff, "quiz")
        db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        base = f"/api/v1/tenants/jelgava/elearning/courses/{course.id}/lessons/{lesson.id}/quiz"
        assert client.get(base, headers=headers).json["pass_mark"] == 50
        started = client.post(f"{base}/attempts", headers=headers)
        assert started.status_code == 200 and "\"correct\"" not in started.get_data(as_text=True)
        attempt_id = started.json["id"]
        attempt = the_attempt(world)
        body = {"answers": [{"question_id": q, "option_ids": ids} for q, ids in right_answers(attempt, quiz).items()]}
        assert client.post(f"{base}/attempts/{attempt_id}/submit", headers=headers, json={**body, "percent": "0.0"}).status_code == 422  # no score from a client
        submitted = client.post(f"{base}/attempts/{attempt_id}/submit", headers=headers, json=body)
        assert submitted.status_code == 200, submitted.json
        assert (submitted.json["percent"], submitted.json["passed"]) == ("100.0", True)
        again = client.post(f"{base}/attempts/{attempt_id}/submit", headers=headers, json=body)
        assert again.status_code == 422
        assert client.get(f"{base}/attempts", headers=headers).json["total"] == 1

    def test_an_option_of_another_question_is_refused_by_position(self, world, client):
        course, lesson, _quiz = make_quiz(owner_tenant=world.jelgava)
        secret = issue_api_token(world.staff, "quiz")
        db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        base = f"/api/v1/tenants/jelgava/elearning/courses/{course.id}/lessons/{lesson.id}/quiz"
        attempt_id = client.post(f"{base}/attempts", headers=headers).json["id"]
        first, second = services.quiz_of_lesson(lesson.id).questions[:2]
        response = client.post(f"{base}/attempts/{attempt_id}/submit", headers=headers, json={"answers": [{"question_id": first.id, "option_ids": [second.options[0].id]}]})
        assert response.status_code == 422 and "0" in response.json["errors"]["json"]["answers"]
        assert the_attempt(world).submitted_at is None


class TestRetention:
    def test_answers_are_erased_after_the_period_and_the_score_stays(self, app, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, right_answers(attempt, quiz))
            db.session.commit()
        entry = next(e for e in retention.entries() if e.name == "elearning.quiz_answers")
        assert entry.days == 365
        assert "elearning.quiz_answers: 0" in retention.erase_due(utcnow() + timedelta(days=364))
        assert "elearning.quiz_answers: 1" in retention.erase_due(utcnow() + timedelta(days=366))
        kept = the_attempt(world)
        assert (kept.answers, kept.results, kept.correct_count, kept.passed) == (None, None, 3, True)
        assert kept.answers_erased_at is not None


class TestStatements:
    def test_taking_and_reading_a_quiz_runs_the_same_statements_for_few_or_many_questions(self, world, client, count_queries):
        from bibnet.elearning.quizzes import authoring

        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        url = start(client, course, lesson)
        with count_queries() as few:
            client.get(url)
        for number in range(12):
            authoring.save_question(quiz, None, "single", {"en": f"Extra {number}"}, {}, [({"en": "Yes"}, True), ({"en": "No"}, False)])
        db.session.commit()
        client.post(f"{QUIZ_BASE.format(course=course.id, lesson=lesson.id)}/attempts/{the_attempt(world).id}/", data={
            "csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
        })
        many_url = start(client, course, lesson)
        assert many_url != url
        with count_queries() as many:
            client.get(many_url)
        assert many.n == few.n
