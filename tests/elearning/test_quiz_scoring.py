"""Quizzes are scored on the server: each kind of question, the pass mark in whole numbers, attempt limits, the
order of an attempt fixed when it starts, and every refusal leaving everything as it was."""
from decimal import Decimal
import random

from hypothesis import given
from hypothesis import strategies as st
import pytest
from quiz_fixtures import attempts_in, make_quiz, right_answers, wrong_answers
import sqlalchemy as sa

from bibnet.elearning import learning
from bibnet.elearning.models import Enrolment
from bibnet.elearning.quizzes import authoring, scoring, services
from bibnet.elearning.quizzes.models import QuestionKind
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import tenant_scope


def by_kind(quiz):
    """The quiz's questions by kind, read afresh (a commit expires what was loaded)."""
    return {question.kind: question for question in services.quiz_of_lesson(quiz.lesson_id).questions}


class TestEachKind:
    def test_single_choice_is_right_only_with_the_right_option(self, world):
        _course, _lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        question = by_kind(quiz)[QuestionKind.SINGLE]
        right, bright, _flashing = (option.id for option in question.options)
        assert scoring.is_right(question, {right})
        assert not scoring.is_right(question, {bright})
        assert not scoring.is_right(question, set())

    def test_multiple_choice_needs_exactly_the_right_options(self, world):
        _course, _lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        question = by_kind(quiz)[QuestionKind.MULTIPLE]
        names, showing, shouting = (option.id for option in question.options)
        assert scoring.is_right(question, {names, showing})
        assert not scoring.is_right(question, {names})  # one right one missing
        assert not scoring.is_right(question, {names, showing, shouting})  # a wrong one too

    def test_true_or_false_has_two_options_in_every_language_and_one_is_right(self, world):
        _course, _lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        question = by_kind(quiz)[QuestionKind.TRUE_FALSE]
        true, false = question.options
        assert (true.text["lv"], false.text["lt"]) == ("Patiesi", "Netiesa")
        assert scoring.is_right(question, {false.id}) and not scoring.is_right(question, {true.id})


class TestPassMark:
    @given(questions=st.integers(1, 60), data=st.data())
    def test_pass_is_exact_and_the_percentage_shown_never_contradicts_it(self, questions, data):
        correct = data.draw(st.integers(0, questions))
        mark = data.draw(st.integers(0, 100))
        shown = scoring.percent(correct, questions)
        assert scoring.passes(correct, questions, mark) == (Decimal(correct) / Decimal(questions) * 100 >= mark)
        assert (shown >= mark) == scoring.passes(correct, questions, mark)
        assert shown == shown.quantize(Decimal("0.1")) and shown <= Decimal(correct * 100) / questions

    @pytest.mark.parametrize(("correct", "questions", "mark", "passed"), [(2, 3, 67, False), (2, 3, 66, True), (4, 5, 80, True), (3, 5, 61, False), (0, 3, 0, True), (3, 3, 100, True)])
    def test_boundaries(self, correct, questions, mark, passed):
        assert scoring.passes(correct, questions, mark) is passed

    def test_two_of_three_shows_66_6_percent(self):
        assert scoring.percent(2, 3) == Decimal("66.6")


class TestAttempts:
    def test_passing_marks_the_lesson_done_and_completes_the_course(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, right_answers(attempt, quiz))
            db.session.commit()
            assert (attempt.correct_count, attempt.question_count, attempt.passed) == (3, 3, True)
            enrolment = db.session.scalar(sa.select(Enrolment))
            assert lesson.id in learning.done_lesson_ids(enrolment) and enrolment.completed_at is not None

    def test_failing_leaves_the_lesson_undone(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, wrong_answers(attempt, quiz))
            db.session.commit()
            assert (attempt.correct_count, attempt.passed) == (0, False)
            assert learning.done_lesson_ids(db.session.scalar(sa.select(Enrolment))) == set()

    def test_the_attempt_limit_refuses_a_further_attempt(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, attempt_limit=1)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, wrong_answers(attempt, quiz))
            db.session.commit()
            with pytest.raises(Refused) as refused:
                services.start_attempt(course, lesson, quiz, world.staff)
            assert "attempt" in refused.value.errors
            assert services.attempts_left(quiz, world.staff.id) == 0

    def test_an_open_attempt_is_refused_once_the_limit_is_used_up(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, attempt_limit=2)
        with tenant_scope(world.jelgava):
            first = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(first, course, lesson, quiz, wrong_answers(first, quiz))
            second = services.start_attempt(course, lesson, quiz, world.staff)
        authoring.quiz_settings(lesson, quiz, quiz.pass_mark, 1, False, None, True)  # the author lowers the limit
        with tenant_scope(world.jelgava):
            with pytest.raises(Refused):
                services.submit(second, course, lesson, quiz, right_answers(second, quiz))
            assert second.submitted_at is None and services.submitted_count(quiz, world.staff.id) == 1

    def test_submitting_a_submitted_attempt_again_is_refused_and_counts_once(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, wrong_answers(attempt, quiz))
            db.session.commit()
            with pytest.raises(Refused):
                services.submit(attempt, course, lesson, quiz, right_answers(attempt, quiz))
            db.session.rollback()
            assert (attempt.passed, services.submitted_count(quiz, world.staff.id)) == (False, 1)

    def test_a_draft_course_takes_no_attempts(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, published=False)
        with tenant_scope(world.jelgava), pytest.raises(Refused) as refused:
            services.start_attempt(course, lesson, quiz, world.staff)
        assert "course" in refused.value.errors

    def test_the_order_is_drawn_once_and_kept_for_the_attempt(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, shuffle=True, draw_count=2)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff, random.Random(3))
            db.session.commit()
            first = [(q.id, [o.id for o in options]) for q, options in services.shown(attempt, quiz)]
            again = services.start_attempt(course, lesson, quiz, world.staff, random.Random(99))
            assert again.id == attempt.id
            assert [(q.id, [o.id for o in options]) for q, options in services.shown(again, quiz)] == first
            assert len(first) == 2

    def test_shuffling_changes_the_order_between_attempts(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, shuffle=True)
        orders = set()
        with tenant_scope(world.jelgava):
            for seed in range(8):
                attempt = services.start_attempt(course, lesson, quiz, world.staff, random.Random(seed))
                orders.add(tuple(tuple(ids) for _q, ids in ((q.id, [o.id for o in options]) for q, options in services.shown(attempt, quiz))))
                services.submit(attempt, course, lesson, quiz, {})
        assert len(orders) > 1


class TestBadInputChangesNothing:
    @pytest.fixture
    def open_attempt(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            db.session.commit()
        return course, lesson, quiz, attempt

    def _refused(self, world, open_attempt, answers) -> dict:
        course, lesson, quiz, attempt = open_attempt
        with tenant_scope(world.jelgava):
            with pytest.raises(Refused) as refused:
                services.submit(attempt, course, lesson, quiz, answers)
            db.session.rollback()
            assert all(a.submitted_at is None and a.answers is None for a in attempts_in(world.jelgava))
        return refused.value.errors

    def test_an_unknown_option(self, world, open_attempt):
        single = by_kind(open_attempt[2])[QuestionKind.SINGLE]
        assert list(self._refused(world, open_attempt, {single.id: [999_999]})) == [f"answers.{single.id}"]

    def test_an_option_of_another_question(self, world, open_attempt):
        kinds = by_kind(open_attempt[2])
        assert list(self._refused(world, open_attempt, {kinds[QuestionKind.SINGLE].id: [kinds[QuestionKind.MULTIPLE].options[0].id]})) == [f"answers.{kinds[QuestionKind.SINGLE].id}"]

    def test_two_answers_to_a_single_choice(self, world, open_attempt):
        single = by_kind(open_attempt[2])[QuestionKind.SINGLE]
        errors = self._refused(world, open_attempt, {single.id: [single.options[0].id, single.options[1].id]})
        assert str(errors[f"answers.{single.id}"][0]) == str(services.ONE_ANSWER_ONLY)

    def test_a_question_not_in_the_attempt(self, world, open_attempt):
        assert "answers.424242" in self._refused(world, open_attempt, {424242: []})


class TestEditingAPublishedQuiz:
    def test_changing_the_pass_mark_or_questions_keeps_passed_attempts_and_progress(self, world):
        course, lesson, quiz = make_quiz(owner_tenant=world.jelgava, pass_mark=50)
        with tenant_scope(world.jelgava):
            attempt = services.start_attempt(course, lesson, quiz, world.staff)
            services.submit(attempt, course, lesson, quiz, right_answers(attempt, quiz))
            db.session.commit()
        quiz = services.quiz_of_lesson(lesson.id)
        authoring.quiz_settings(lesson, quiz, 100, 1, True, None, True)
        single = by_kind(quiz)[QuestionKind.SINGLE]
        authoring.save_question(quiz, single, "single", {"en": "Which light now?"}, {}, [({"en": "Dim"}, False), ({"en": "Bright"}, True)])
        authoring.delete_question(by_kind(quiz)[QuestionKind.MULTIPLE])
        db.session.commit()
        with tenant_scope(world.jelgava):
            kept = attempts_in(world.jelgava)[0]
            assert (kept.passed, kept.correct_count, kept.pass_mark) == (True, 3, 50)
            enrolment = db.session.scalar(sa.select(Enrolment))
            assert lesson.id in learning.done_lesson_ids(enrolment) and enrolment.completed_at is not None

    def test_a_single_choice_question_needs_exactly_one_right_answer(self, world):
        _course, _lesson, quiz = make_quiz(owner_tenant=world.jelgava)
        with pytest.raises(Refused) as refused:
            authoring.save_question(quiz, None, "single", {"en": "Q"}, {}, [({"en": "A"}, True), ({"en": "B"}, True)])
        assert "option_1_correct" in refused.value.errors
        db.session.rollback()
        assert len(by_kind(quiz)) == 3
