"""Who sees and writes which course: a library's courses stay in the library, a project's courses are read by the
project's partners only and edited by its lead only; enrolments and progress never cross libraries. Authoring
refuses bad input with a translated message next to the field, and writes nothing."""
from datetime import date

from elearning_fixtures import lesson_ids, make_course
import sqlalchemy as sa

from bibnet.accounts.models import Role
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Country

from conftest import csrf_token, log_in, post_form

JELGAVA = "/t/jelgava/elearning"


def lesson_fields(**changes) -> dict:
    fields = {"title_en": "Greeting a visitor", "content_en": "Say hello and **wait**.", "required": "y", "hours": "0", "minutes": "20"}
    fields.update(changes)
    return fields


def count(model) -> int:
    with all_tenants(reason="test: counting rows"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TestAuthoringALibrarysCourse:
    def test_a_coordinator_writes_a_course_module_and_lesson_and_publishes_it(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/new", {"title_en": "Easy-read basics", "title_lv": "Vieglās valodas pamati"})
        assert response.status_code == 302
        course = db.session.scalar(sa.select(Course))
        assert (course.owner_tenant_id, course.project_id, course.title) == (world.jelgava.id, None, {"en": "Easy-read basics", "lv": "Vieglās valodas pamati"})
        assert post_form(client, f"{JELGAVA}/manage/{course.id}/modules/new", {"title_en": "Basics"}).status_code == 302
        module_id = db.session.scalar(sa.select(CourseModule.id))
        assert post_form(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/lessons/new", lesson_fields()).status_code == 302
        lesson = db.session.scalar(sa.select(Lesson))
        assert (lesson.estimated_minutes, lesson.required) == (20, True)
        assert post_form(client, f"{JELGAVA}/manage/{course.id}/publish", {}, page=f"{JELGAVA}/manage/{course.id}/").status_code == 302
        db.session.expire_all()
        assert db.session.get(Course, course.id).is_published

    def test_an_image_without_alt_text_is_refused_with_the_rule_named_and_nothing_written(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        module_id = db.session.scalar(sa.select(CourseModule.id))
        before = count(Lesson)
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/lessons/new", lesson_fields(content_en="Look: ![](room.jpg)"))
        assert response.status_code == 422
        assert "Every image needs alt text" in response.get_data(as_text=True)
        assert count(Lesson) == before

    def test_the_refusal_is_in_the_coordinators_language(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        module_id = db.session.scalar(sa.select(CourseModule.id))
        world.coordinator.locale = "lv"
        db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/lessons/new", lesson_fields(content_en="![](room.jpg)"))
        assert response.status_code == 422
        assert "Katram attēlam vajadzīgs alternatīvais teksts" in response.get_data(as_text=True)

    def test_a_course_without_any_title_is_refused(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/new", {"title_en": "  ", "summary_en": "No title"})
        assert response.status_code == 422
        assert count(Course) == 0

    def test_minutes_that_are_no_number_are_refused(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        module_id = db.session.scalar(sa.select(CourseModule.id))
        before = count(Lesson)
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/{course.id}/modules/{module_id}/lessons/new", lesson_fields(minutes="half an hour"))
        assert response.status_code == 422
        assert count(Lesson) == before

    def test_staff_cannot_author(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        assert client.get(f"{JELGAVA}/manage/{course.id}/edit").status_code == 403
        assert client.get(f"{JELGAVA}/manage/new").status_code == 403


class TestProjectCourses:
    def test_the_lead_writes_a_project_course_that_partners_read(self, world, client):
        log_in(client, "lead@pasvalys.example")
        response = post_form(client, f"/projects/{world.project.id}/elearning/manage/new", {"title_en": "Welcoming visitors to the sensory reading room"})
        assert response.status_code == 302
        course = db.session.scalar(sa.select(Course))
        assert (course.project_id, course.owner_tenant_id) == (world.project.id, None)

    def test_a_partner_uses_a_project_course_but_cannot_edit_it(self, world, client):
        course = make_course(project=world.project)
        log_in(client, "coordinator@jelgava.example")
        assert client.get(f"{JELGAVA}/courses/{course.id}/").status_code == 200
        assert client.get(f"{JELGAVA}/manage/{course.id}/edit").status_code == 403
        page = client.get(f"{JELGAVA}/courses/{course.id}/")
        response = client.post(f"{JELGAVA}/manage/{course.id}/edit", data={"title_en": "Renamed", "csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 403
        db.session.expire_all()
        assert db.session.get(Course, course.id).title == {"en": "Welcoming visitors"}
        assert client.get(f"/projects/{world.project.id}/elearning/manage/{course.id}/edit").status_code == 404

    def test_a_library_that_is_no_partner_of_the_project_never_sees_its_course(self, world, client, make_tenant, make_user):
        course = make_course(project=world.project)
        make_tenant("augsdaugava", "Augšdaugava", Country.LV)
        augs = db.session.scalar(sa.select(type(world.jelgava)).where(type(world.jelgava).slug == "augsdaugava"))
        make_user("staff@augsdaugava.example", "Anna Staff", augs, Role.STAFF)
        log_in(client, "staff@augsdaugava.example")
        assert client.get(f"/t/augsdaugava/elearning/courses/{course.id}/").status_code == 404
        assert "Welcoming visitors" not in client.get("/t/augsdaugava/elearning/").get_data(as_text=True)


class TestIsolation:
    def test_another_librarys_course_is_not_found(self, world, client):
        theirs = make_course(owner_tenant=world.pasvalys, title={"en": "Pasvalys only"})
        log_in(client, "staff@jelgava.example")
        assert client.get(f"{JELGAVA}/courses/{theirs.id}/").status_code == 404
        assert client.get(f"{JELGAVA}/courses/{theirs.id}/lessons/{lesson_ids(theirs)[0]}/").status_code == 404
        assert "Pasvalys only" not in client.get(f"{JELGAVA}/").get_data(as_text=True)

    def test_enrolments_and_progress_of_a_shared_course_stay_in_each_library(self, world, client):
        course = make_course(project=world.project)
        with tenant_scope(world.pasvalys):
            db.session.add(Enrolment(user_id=world.other_staff.id, course_id=course.id, due_on=date(2026, 1, 5)))
            db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        matrix = client.get(f"{JELGAVA}/manage/progress").get_data(as_text=True)
        assert "Tomas Staff" not in matrix
        assert "Tomas Staff" not in client.get(f"{JELGAVA}/manage/progress.csv").get_data(as_text=True)

    def test_a_coordinator_cannot_enrol_a_member_of_another_library(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "person", "person": str(world.other_staff.id), "role": "staff"})
        assert response.status_code == 422
        assert count(Enrolment) == 0


class TestEnrolmentAndMatrix:
    def test_enrolling_all_staff_with_a_due_date_shows_in_the_matrix_and_the_csv(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "all", "role": "staff", "due_on": "2026-01-31"})
        assert response.status_code == 302
        with tenant_scope(world.jelgava):
            assert sorted(db.session.scalars(sa.select(Enrolment.user_id))) == sorted([world.coordinator.id, world.staff.id])
        matrix = client.get(f"{JELGAVA}/manage/progress").get_data(as_text=True)
        assert "Jānis Staff" in matrix and "0 of 2 required lessons done" in matrix
        csv_text = client.get(f"{JELGAVA}/manage/progress.csv").get_data(as_text=True)
        assert "Jānis Staff,staff@jelgava.example,Welcoming visitors" in csv_text
        assert "2026-01-31" in csv_text

    def test_enrolling_by_role_enrols_only_that_role(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "role", "role": "staff"})
        with tenant_scope(world.jelgava):
            assert list(db.session.scalars(sa.select(Enrolment.user_id))) == [world.staff.id]

    def test_a_draft_cannot_be_enrolled_in(self, world, client):
        course = make_course(owner_tenant=world.jelgava, published=False)
        log_in(client, "coordinator@jelgava.example")
        response = post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "all", "role": "staff"})
        assert response.status_code == 422
        assert count(Enrolment) == 0

    def test_the_matrix_and_my_courses_run_the_same_statements_for_few_or_many(self, world, client, make_user, count_queries):
        courses = [make_course(owner_tenant=world.jelgava, title={"en": f"Course {n}"}) for n in range(2)]
        log_in(client, "coordinator@jelgava.example")
        for course in courses:
            post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "all", "role": "staff"})
        client.get(f"{JELGAVA}/manage/progress")
        with count_queries() as few_matrix:
            assert client.get(f"{JELGAVA}/manage/progress").status_code == 200
        with count_queries() as few_mine:
            assert client.get(f"{JELGAVA}/").status_code == 200
        for number in range(15):
            make_user(f"reader{number}@example.lv", f"Reader {number:02d}", world.jelgava, Role.STAFF)
        courses += [make_course(owner_tenant=world.jelgava, title={"en": f"Course {n}"}) for n in range(2, 5)]
        for course in courses:
            post_form(client, f"{JELGAVA}/manage/enrol", {"course": str(course.id), "who": "all", "role": "staff"})
        with count_queries() as many_matrix:
            assert client.get(f"{JELGAVA}/manage/progress").status_code == 200
        with count_queries() as many_mine:
            assert client.get(f"{JELGAVA}/").status_code == 200
        assert many_matrix.n == few_matrix.n, many_matrix.statements
        assert many_mine.n == few_mine.n, many_mine.statements


class TestTheLearnersTask:
    def test_an_overdue_course_is_a_task_on_the_home(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            db.session.add(Enrolment(user_id=world.staff.id, course_id=course.id, due_on=date(2025, 1, 10)))
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        assert "1 course overdue in Jelgava Municipality" in client.get("/").get_data(as_text=True)
