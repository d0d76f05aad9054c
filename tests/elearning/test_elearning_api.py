"""The e-learning API: what a learner and a coordinator can read and do, who may do what, how bad input is refused
(422 with field errors, nothing written), and that one library never sees another's enrolments nor a project's
course unless it is a partner of the project."""
from datetime import date, timedelta

from elearning_fixtures import lesson_ids, make_course
import pytest
import sqlalchemy as sa

from bibnet.accounts.models import Role
from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.elearning.models import Course, CourseModule, Enrolment, Lesson, LessonProgress
from bibnet.elearning.workshops import services as workshops
from bibnet.elearning.workshops.services import Attendance, WorkshopInput
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Country

BASE = "/api/v1/tenants/jelgava/elearning"


@pytest.fixture
def tokens(world):
    issued = {name: issue_api_token(getattr(world, name), "api tests") for name in ("staff", "coordinator", "lead", "other_staff", "other_coordinator")}
    db.session.commit()
    return issued


class Caller:
    def __init__(self, client, secret, base=BASE):
        self.client, self.headers, self.base = client, {"Authorization": f"Bearer {secret}"}, base

    def get(self, path, **kwargs):
        return self.client.get(self.base + path, headers=self.headers, **kwargs)

    def post(self, path, **kwargs):
        return self.client.post(self.base + path, headers=self.headers, **kwargs)


@pytest.fixture
def staff(client, tokens):
    return Caller(client, tokens["staff"])


@pytest.fixture
def coordinator(client, tokens):
    return Caller(client, tokens["coordinator"])


def count(model) -> int:
    with all_tenants(reason="test: counting rows"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def enrol(tenant, user, course, **fields) -> Enrolment:
    with tenant_scope(tenant):
        enrolment = Enrolment(user_id=user.id, course_id=course.id, **fields)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment


class TestReadingCourses:
    def test_staff_list_the_librarys_and_the_projects_published_courses_but_no_drafts(self, world, staff):
        own = make_course(owner_tenant=world.jelgava, title={"en": "Easy-read basics"})
        shared = make_course(project=world.project, title={"en": "Welcoming visitors"})
        make_course(owner_tenant=world.jelgava, title={"en": "Unfinished"}, published=False)
        response = staff.get("/courses")
        assert response.status_code == 200
        assert [(c["id"], c["title"]["text"], c["project_id"]) for c in response.json["items"]] == [
            (own.id, "Easy-read basics", None), (shared.id, "Welcoming visitors", world.project.id),
        ]
        assert response.json["total"] == 2

    def test_a_coordinator_also_lists_the_librarys_drafts(self, world, coordinator):
        make_course(owner_tenant=world.jelgava, title={"en": "Unfinished"}, published=False)
        assert [c["status"] for c in coordinator.get("/courses").json["items"]] == ["draft"]

    def test_the_list_is_paginated(self, world, staff):
        for number in range(3):
            make_course(owner_tenant=world.jelgava, title={"en": f"Course {number}"})
        page = staff.get("/courses?per_page=2&page=2").json
        assert (page["total"], page["pages"], [c["title"]["text"] for c in page["items"]]) == (3, 2, ["Course 2"])

    def test_the_outline_is_in_the_language_asked_for_and_says_where_it_fell_back(self, world, staff):
        course = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming", "lv": "Uzņemšana"}, languages=("en", "lv"))
        outline = staff.get(f"/courses/{course.id}?lang=lv").json
        assert outline["title"] == {"text": "Uzņemšana", "locale": "lv", "fell_back": False}
        assert outline["modules"][0]["title"] == {"text": "Module one", "locale": "en", "fell_back": True}
        lessons = outline["modules"][0]["lessons"]
        assert [(each["title"]["text"], each["required"], each["languages"], each["done"]) for each in lessons] == [
            ("One (lv)", True, ["en", "lv"], False), ("Two (lv)", True, ["en", "lv"], False), ("Extra (lv)", False, ["en", "lv"], False),
        ]
        assert (outline["enrolment"], outline["resume_lesson_id"]) == (None, lessons[0]["id"])

    def test_without_a_language_asked_for_the_callers_own_comes_first(self, world, staff):
        world.staff.locale = "lv"
        db.session.commit()
        course = make_course(owner_tenant=world.jelgava, title={"en": "Welcoming", "lv": "Uzņemšana"})
        assert staff.get(f"/courses/{course.id}").json["title"]["text"] == "Uzņemšana"

    def test_a_lesson_is_sanitised_html_in_the_language_used(self, world, staff):
        course = make_course(owner_tenant=world.jelgava, languages=("en", "lt"))
        lesson = db.session.get(Lesson, lesson_ids(course)[0])
        lesson.content = {**lesson.content, "lt": "**Sveiki** <script>alert(1)</script> [x](javascript:alert(1))"}
        db.session.commit()
        shown = staff.get(f"/courses/{course.id}/lessons/{lesson.id}?lang=lt").json
        assert (shown["locale"], shown["wanted"], shown["fell_back"], shown["title"]) == ("lt", "lt", False, "One (lt)")
        assert "<strong>Sveiki</strong>" in shown["html"]
        assert "&lt;script&gt;" in shown["html"] and "<script" not in shown["html"] and "href" not in shown["html"]
        assert shown["next_lesson_id"] == lesson_ids(course)[1]

    def test_a_lesson_missing_in_the_language_asked_for_falls_back_and_says_so(self, world, staff):
        course = make_course(owner_tenant=world.jelgava, languages=("en",))
        shown = staff.get(f"/courses/{course.id}/lessons/{lesson_ids(course)[0]}?lang=lt").json
        # Jelgava's language (lv) has no text either: any available one.
        assert (shown["locale"], shown["wanted"], shown["fell_back"], shown["html"]) == ("en", "lt", True, "<p>Text of One in en.</p>\n")

    def test_a_language_that_is_not_offered_is_refused(self, world, staff):
        course = make_course(owner_tenant=world.jelgava)
        response = staff.get(f"/courses/{course.id}?lang=de")
        assert response.status_code == 422
        assert list(response.json["errors"]["query"]) == ["lang"]

    def test_a_draft_is_not_found_by_staff_but_read_by_its_coordinator(self, world, staff, coordinator):
        draft = make_course(owner_tenant=world.jelgava, published=False)
        assert staff.get(f"/courses/{draft.id}").status_code == 404
        assert staff.get(f"/courses/{draft.id}/lessons/{lesson_ids(draft)[0]}").status_code == 404
        assert coordinator.get(f"/courses/{draft.id}").status_code == 200

    def test_a_lesson_of_another_course_is_not_found_through_this_one(self, world, staff):
        course, other = make_course(owner_tenant=world.jelgava), make_course(owner_tenant=world.jelgava)
        assert staff.get(f"/courses/{course.id}/lessons/{lesson_ids(other)[0]}").status_code == 404


class TestLearning:
    def test_marking_lessons_done_starts_the_course_and_completes_it_with_the_last_required_one(self, world, staff):
        course = make_course(owner_tenant=world.jelgava)
        first, second, optional = lesson_ids(course)
        answer = staff.post(f"/courses/{course.id}/lessons/{first}/done")
        assert answer.status_code == 200
        assert (answer.json["completed_course"], answer.json["next_lesson_id"]) == (False, second)
        assert (answer.json["enrolment"]["required_done"], answer.json["enrolment"]["required_lessons"]) == (1, 2)
        answer = staff.post(f"/courses/{course.id}/lessons/{second}/done").json
        assert answer["completed_course"] is True and answer["enrolment"]["completed_at"] is not None
        outline = staff.get(f"/courses/{course.id}").json
        assert [lesson["done"] for lesson in outline["modules"][0]["lessons"]] == [True, True, False]
        assert outline["resume_lesson_id"] == optional

    def test_marking_a_lesson_twice_records_it_once(self, world, staff):
        course = make_course(owner_tenant=world.jelgava)
        for _ in range(2):
            assert staff.post(f"/courses/{course.id}/lessons/{lesson_ids(course)[0]}/done").status_code == 200
        assert count(LessonProgress) == 1 and count(Enrolment) == 1

    def test_my_enrolments_show_progress_due_dates_and_overdue(self, world, staff):
        late = make_course(owner_tenant=world.jelgava, title={"en": "Late"})
        later = make_course(project=world.project, title={"en": "Later"})
        done = make_course(owner_tenant=world.jelgava, title={"en": "Done"})
        enrol(world.jelgava, world.staff, later, due_on=utcnow().date() + timedelta(days=30))
        enrol(world.jelgava, world.staff, late, due_on=utcnow().date() - timedelta(days=1))
        enrol(world.jelgava, world.staff, done, completed_at=utcnow())
        assert staff.post(f"/courses/{late.id}/lessons/{lesson_ids(late)[0]}/done").status_code == 200
        mine = staff.get("/enrolments/mine").json["items"]
        assert [(e["course_title"]["text"], e["overdue"], e["required_done"], e["required_lessons"]) for e in mine] == [
            ("Late", True, 1, 2), ("Later", False, 0, 2), ("Done", False, 0, 2),
        ]

    def test_a_learner_sees_only_their_own_enrolments(self, world, staff):
        course = make_course(project=world.project)
        enrol(world.jelgava, world.coordinator, course)
        enrol(world.pasvalys, world.other_staff, course)
        assert staff.get("/enrolments/mine").json["items"] == []

    def test_marking_a_lesson_of_a_draft_is_not_found_and_writes_nothing(self, world, staff):
        draft = make_course(owner_tenant=world.jelgava, published=False)
        assert staff.post(f"/courses/{draft.id}/lessons/{lesson_ids(draft)[0]}/done").status_code == 404
        assert (count(Enrolment), count(LessonProgress)) == (0, 0)


class TestEnrolling:
    def test_a_coordinator_enrols_named_staff_with_a_due_date(self, world, coordinator):
        course = make_course(owner_tenant=world.jelgava)
        due = (utcnow().date() + timedelta(days=14)).isoformat()
        response = coordinator.post(f"/courses/{course.id}/enrolments", json={"user_ids": [world.staff.id], "due_on": due})
        assert response.status_code == 200
        assert response.json == {"course_id": course.id, "newly_enrolled": 1, "user_ids": [world.staff.id]}
        with tenant_scope(world.jelgava):
            assert db.session.scalar(sa.select(Enrolment.due_on)).isoformat() == due

    def test_enrolling_by_role_and_all_staff(self, world, coordinator):
        course = make_course(project=world.project)
        assert coordinator.post(f"/courses/{course.id}/enrolments", json={"role": "staff"}).json["user_ids"] == [world.staff.id]
        answer = coordinator.post(f"/courses/{course.id}/enrolments", json={"all_staff": True}).json
        assert (sorted(answer["user_ids"]), answer["newly_enrolled"]) == (sorted([world.staff.id, world.coordinator.id]), 1)
        assert count(Enrolment) == 2

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "user_ids"),
            ({"user_ids": [1], "role": "staff"}, "user_ids"),
            ({"user_ids": []}, "user_ids"),
            ({"user_ids": ["x"]}, "user_ids"),
            ({"user_ids": [0]}, "user_ids"),
            ({"role": "lead"}, "role"),
            ({"all_staff": True, "due_on": "02.12.2026"}, "due_on"),
            ({"all_staff": True, "due_on": "9999-01-01"}, "due_on"),
            ({"all_staff": True, "colour": "red"}, "colour"),
        ],
    )
    def test_bad_input_is_refused_with_field_errors_and_nothing_written(self, world, coordinator, body, field):
        course = make_course(owner_tenant=world.jelgava)
        response = coordinator.post(f"/courses/{course.id}/enrolments", json=body)
        assert response.status_code == 422, response.json
        assert response.mimetype == "application/problem+json"
        assert field in response.json["errors"]["json"]
        assert count(Enrolment) == 0

    def test_a_member_of_another_library_cannot_be_enrolled(self, world, coordinator):
        course = make_course(project=world.project)
        response = coordinator.post(f"/courses/{course.id}/enrolments", json={"user_ids": [world.staff.id, world.other_staff.id]})
        assert response.status_code == 422
        assert "user_ids" in response.json["errors"]["json"]
        assert count(Enrolment) == 0

    def test_nobody_is_enrolled_in_a_draft(self, world, coordinator):
        draft = make_course(owner_tenant=world.jelgava, published=False)
        response = coordinator.post(f"/courses/{draft.id}/enrolments", json={"all_staff": True})
        assert response.status_code == 422
        assert count(Enrolment) == 0

    def test_staff_cannot_enrol_anyone_nor_read_the_matrix(self, world, staff):
        course = make_course(owner_tenant=world.jelgava)
        assert staff.post(f"/courses/{course.id}/enrolments", json={"all_staff": True}).status_code == 403
        assert staff.get("/progress").status_code == 403
        assert count(Enrolment) == 0


class TestProgressMatrix:
    def test_the_matrix_has_a_row_per_member_and_a_cell_per_enrolment(self, world, coordinator):
        course = make_course(owner_tenant=world.jelgava, title={"en": "Easy-read basics"})
        enrolment = enrol(world.jelgava, world.staff, course, due_on=date(2025, 1, 6))
        matrix = coordinator.get("/progress").json
        assert [(c["id"], c["title"]["text"], c["required_lessons"]) for c in matrix["courses"]] == [(course.id, "Easy-read basics", 2)]
        assert [(row["name"], [cell["id"] for cell in row["cells"]]) for row in matrix["items"]] == [
            ("Ilze Coordinator", []), ("Jānis Staff", [enrolment.id]),
        ]
        assert matrix["items"][1]["cells"][0]["overdue"] is True
        assert (matrix["total"], matrix["pages"]) == (2, 1)

    def test_the_matrix_marks_a_course_completed_at_a_workshop_in_person_as_the_page_does(self, world, coordinator):
        workshop_course, online_course = make_course(owner_tenant=world.jelgava), make_course(owner_tenant=world.jelgava)
        with tenant_scope(world.jelgava):
            workshops.record(
                WorkshopInput(utcnow().date() - timedelta(days=1), workshop_course.id, None, "Dace Trainer", "", (Attendance(world.staff.id),)),
                world.jelgava, world.coordinator,
            )
            db.session.commit()
        enrol(world.jelgava, world.staff, online_course)
        cells = coordinator.get("/progress").json["items"][1]["cells"]
        assert [(cell["course_id"], cell["in_person"]) for cell in cells] == [(workshop_course.id, True), (online_course.id, False)]

    def test_another_librarys_enrolments_in_a_shared_course_are_not_in_the_matrix(self, world, coordinator):
        course = make_course(project=world.project)
        enrol(world.pasvalys, world.other_staff, course)
        matrix = coordinator.get("/progress").json
        assert matrix["courses"] == []
        assert "Tomas Staff" not in str(matrix)

    def test_the_matrix_takes_a_bounded_number_of_statements(self, world, coordinator, count_queries, make_user):
        courses = [make_course(owner_tenant=world.jelgava, title={"en": f"Course {n}"}) for n in range(3)]
        for n in range(12):
            person = make_user(f"learner{n}@jelgava.example", f"Learner {n}", world.jelgava, Role.STAFF)
            for course in courses:
                enrol(world.jelgava, person, course)
        with count_queries() as counted:
            assert len(coordinator.get("/progress?per_page=10").json["items"]) == 10
        with count_queries() as counted_again:
            coordinator.get("/progress?per_page=5&page=2")
        assert counted.n == counted_again.n


class TestIsolation:
    def test_a_project_course_is_visible_only_to_the_projects_partners(self, world, client, make_tenant, make_user):
        course = make_course(project=world.project, title={"en": "Shared"})
        augs = make_tenant("augsdaugava", "Augšdaugava", Country.LV)
        outsider = make_user("staff@augsdaugava.example", "Anna Staff", augs, Role.STAFF)
        caller = Caller(client, issue_api_token(outsider, "api tests"), base="/api/v1/tenants/augsdaugava/elearning")
        db.session.commit()
        assert caller.get("/courses").json["items"] == []
        assert caller.get(f"/courses/{course.id}").status_code == 404
        assert caller.get(f"/courses/{course.id}/lessons/{lesson_ids(course)[0]}").status_code == 404
        assert caller.post(f"/courses/{course.id}/lessons/{lesson_ids(course)[0]}/done").status_code == 404
        assert count(Enrolment) == 0

    def test_another_librarys_course_is_not_found(self, world, staff, coordinator):
        theirs = make_course(owner_tenant=world.pasvalys, title={"en": "Pasvalys only"})
        assert "Pasvalys only" not in str(staff.get("/courses").json)
        assert staff.get(f"/courses/{theirs.id}").status_code == 404
        assert coordinator.post(f"/courses/{theirs.id}/enrolments", json={"all_staff": True}).status_code == 404
        assert count(Enrolment) == 0

    def test_the_api_of_another_library_is_refused(self, world, tokens, client):
        course = make_course(project=world.project)
        enrol(world.pasvalys, world.other_staff, course)
        jelgava_in_pasvalys = Caller(client, tokens["coordinator"], base="/api/v1/tenants/pasvalys/elearning")
        assert jelgava_in_pasvalys.get("/progress").status_code == 404
        assert jelgava_in_pasvalys.get("/enrolments/mine").status_code == 404


def test_every_operation_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    prefix = "/api/v1/tenants/{tenant_slug}/elearning"
    operations = {(method, path.removeprefix(prefix)) for path, item in paths.items() if path.startswith(prefix) for method in item if method != "parameters"}
    assert operations >= {  # quizzes, certificates and workshops add theirs under the same prefix
        ("get", "/courses"), ("get", "/courses/{course_id}"), ("get", "/courses/{course_id}/lessons/{lesson_id}"),
        ("post", "/courses/{course_id}/lessons/{lesson_id}/done"), ("get", "/enrolments/mine"),
        ("post", "/courses/{course_id}/enrolments"), ("get", "/progress"),
    }


def test_nothing_is_left_behind_by_a_refused_request(world, coordinator):
    """A refusal after reading (the course is a draft) leaves the tables as they were."""
    draft = make_course(owner_tenant=world.jelgava, published=False)
    before = (count(Course), count(CourseModule), count(Lesson), count(Enrolment))
    coordinator.post(f"/courses/{draft.id}/enrolments", json={"user_ids": [world.staff.id]})
    assert (count(Course), count(CourseModule), count(Lesson), count(Enrolment)) == before


def test_a_refusal_is_in_the_callers_language(world, coordinator):
    world.coordinator.locale = "lv"
    db.session.commit()
    course = make_course(owner_tenant=world.jelgava)
    response = coordinator.post(f"/courses/{course.id}/enrolments", json={"role": "staff", "all_staff": True})
    assert response.json["errors"]["json"]["user_ids"] == ["Norādiet uzņemamos cilvēkus (user_ids), lomu vai all_staff — tieši vienu no tiem."]
