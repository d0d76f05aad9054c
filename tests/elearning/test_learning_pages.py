"""Staff take courses: My courses, lessons in their language (with a note when it falls back), marking lessons
done, completion when every required lesson is done, resuming at the first unfinished lesson."""
from elearning_fixtures import lesson_ids, make_course
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.elearning.models import CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import csrf_token, log_in

BASE = "/t/jelgava/elearning"


def enrolments_of(tenant, user):
    with tenant_scope(tenant):
        return db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)).all()


def mark_done(client, course_id, lesson_id):
    page = client.get(f"{BASE}/courses/{course_id}/lessons/{lesson_id}/")
    return client.post(f"{BASE}/courses/{course_id}/lessons/{lesson_id}/done", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


class TestMyCourses:
    def test_a_published_course_of_the_library_is_offered_and_starting_it_opens_the_first_lesson(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        assert "Welcoming visitors" in client.get(f"{BASE}/").get_data(as_text=True)
        page = client.get(f"{BASE}/courses/{course.id}/")
        response = client.post(f"{BASE}/courses/{course.id}/start", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 302
        assert client.get(response.headers["Location"]).headers["Location"].endswith(f"/lessons/{lesson_ids(course)[0]}/")
        assert len(enrolments_of(world.jelgava, world.staff)) == 1

    def test_a_draft_is_not_shown_to_staff(self, world, client):
        course = make_course(owner_tenant=world.jelgava, published=False)
        log_in(client, "staff@jelgava.example")
        assert "Welcoming visitors" not in client.get(f"{BASE}/").get_data(as_text=True)
        assert client.get(f"{BASE}/courses/{course.id}/").status_code == 404

    def test_an_overdue_course_says_so(self, world, client):
        from datetime import date

        course = make_course(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            db.session.add(Enrolment(user_id=world.staff.id, course_id=course.id, due_on=date(2025, 1, 10)))
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        assert "overdue since" in client.get(f"{BASE}/").get_data(as_text=True)


class TestCompletion:
    def test_the_course_completes_when_every_required_lesson_is_done_and_not_before(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        one, two, _extra = lesson_ids(course)
        log_in(client, "staff@jelgava.example")
        assert mark_done(client, course.id, one).headers["Location"].endswith(f"/lessons/{two}/")
        assert enrolments_of(world.jelgava, world.staff)[0].completed_at is None
        assert mark_done(client, course.id, two).headers["Location"].endswith(f"/courses/{course.id}/")
        assert enrolments_of(world.jelgava, world.staff)[0].completed_at is not None  # the optional lesson is not needed

    def test_resume_goes_to_the_first_unfinished_lesson(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        one, two, _extra = lesson_ids(course)
        log_in(client, "staff@jelgava.example")
        mark_done(client, course.id, one)
        assert client.get(f"{BASE}/courses/{course.id}/resume").headers["Location"].endswith(f"/lessons/{two}/")

    def test_marking_a_lesson_twice_records_it_once(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        one = lesson_ids(course)[0]
        log_in(client, "staff@jelgava.example")
        mark_done(client, course.id, one)
        mark_done(client, course.id, one)
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1

    def test_progress_survives_editing_and_moving_a_lesson(self, world, client):
        from bibnet.elearning import authoring

        course = make_course(owner_tenant=world.jelgava)
        one, two, _extra = lesson_ids(course)
        log_in(client, "staff@jelgava.example")
        mark_done(client, course.id, one)
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.id == one).options(joinedload(Lesson.module).selectinload(CourseModule.lessons)))
        authoring.save_lesson(lesson, {"en": "One, rewritten"}, {"en": "New text."}, True, 15)
        lesson.position = 99  # now the last lesson
        db.session.commit()
        assert client.get(f"{BASE}/courses/{course.id}/resume").headers["Location"].endswith(f"/lessons/{two}/")
        page = client.get(f"{BASE}/courses/{course.id}/lessons/{one}/").get_data(as_text=True)
        assert "You have done this lesson." in page


class TestLanguages:
    def test_a_lesson_missing_in_the_learners_language_falls_back_with_a_note(self, world, client):
        course = make_course(owner_tenant=world.jelgava, languages=("en",))
        world.staff.locale = "lv"
        db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = client.get(f"{BASE}/courses/{course.id}/lessons/{lesson_ids(course)[0]}/").get_data(as_text=True)
        assert 'id="language-note"' in page
        assert '<article lang="en"' in page

    def test_a_lesson_in_the_learners_language_has_no_note(self, world, client):
        course = make_course(owner_tenant=world.jelgava, languages=("en", "lv"))
        world.staff.locale = "lv"
        db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = client.get(f"{BASE}/courses/{course.id}/lessons/{lesson_ids(course)[0]}/").get_data(as_text=True)
        assert 'id="language-note"' not in page
        assert '<article lang="lv"' in page
        assert "Text of One in lv." in page

    def test_without_the_learners_language_the_libraries_language_comes_before_any_other(self, world, client):
        course = make_course(owner_tenant=world.jelgava, languages=("lt", "lv"))
        log_in(client, "staff@jelgava.example")  # English interface; Jelgava's language is Latvian
        page = client.get(f"{BASE}/courses/{course.id}/lessons/{lesson_ids(course)[0]}/").get_data(as_text=True)
        assert '<article lang="lv"' in page
        assert 'id="language-note"' in page
