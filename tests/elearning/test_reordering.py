"""Authors move modules and lessons one place up or down with plain forms (no dragging); positions stay 1, 2, 3…
and learners keep their progress, which is kept by lesson id."""
from elearning_fixtures import lesson_ids, make_course
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.elearning import authoring, learning
from bibnet.elearning.models import Course, CourseModule, Lesson
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import csrf_token, log_in

JELGAVA = "/t/jelgava/elearning"


def move(client, course, what: str, item_id: int, direction: str):
    token = csrf_token(client.get(f"{JELGAVA}/manage/{course.id}/").get_data(as_text=True))
    return client.post(f"{JELGAVA}/manage/{course.id}/{what}/{item_id}/move", data={"direction": direction, "csrf_token": token})


def with_lessons(course_id: int) -> Course:
    db.session.expire_all()
    return db.session.scalar(sa.select(Course).where(Course.id == course_id).options(selectinload(Course.modules).selectinload(CourseModule.lessons)))


def positions(model, parent_column, parent_id) -> list[tuple[int, int]]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(model.id, model.position).where(parent_column == parent_id).order_by(model.position)))


def test_moving_a_lesson_down_swaps_it_with_the_next_and_keeps_positions_dense(world, client):
    course = make_course(owner_tenant=world.jelgava)
    first, second, third = lesson_ids(course)
    module_id = db.session.scalar(sa.select(CourseModule.id))
    log_in(client, "coordinator@jelgava.example")
    response = move(client, course, "lessons", first, "down")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#lesson-{first}")
    assert positions(Lesson, Lesson.module_id, module_id) == [(second, 1), (first, 2), (third, 3)]
    assert lesson_ids(course) == [second, first, third]


def test_moving_a_module_up_changes_the_reading_order_of_its_lessons(world, client):
    course = with_lessons(make_course(owner_tenant=world.jelgava).id)
    before = lesson_ids(course)
    second_module = CourseModule(course=course)
    authoring.save_module(second_module, {"en": "Module two"})
    authoring.save_lesson(Lesson(module=second_module), {"en": "Four"}, {"en": "Text of four."}, True, 5)
    db.session.commit()
    fourth = lesson_ids(course)[-1]
    log_in(client, "coordinator@jelgava.example")
    assert move(client, course, "modules", second_module.id, "up").status_code == 302
    assert lesson_ids(course) == [fourth, *before]
    assert [position for _, position in positions(CourseModule, CourseModule.course_id, course.id)] == [1, 2]


def test_a_learners_progress_survives_reordering(world, client):
    course = make_course(owner_tenant=world.jelgava)
    first, second, _ = lesson_ids(course)
    course = with_lessons(course.id)
    with tenant_scope(world.jelgava):
        enrolment = learning.start(course, world.staff)
        learning.mark_done(enrolment, db.session.get(Lesson, first), course)
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    move(client, course, "lessons", first, "down")
    move(client, course, "lessons", first, "down")
    with tenant_scope(world.jelgava):
        enrolment = learning.current_enrolment(world.staff.id, course.id)
        assert learning.done_lesson_ids(enrolment) == {first}
        assert learning.first_unfinished(with_lessons(course.id), {first}).id == second


def test_moving_the_first_up_is_refused_and_changes_nothing(world, client):
    course = make_course(owner_tenant=world.jelgava)
    first, _, third = lesson_ids(course)
    module_id = db.session.scalar(sa.select(CourseModule.id))
    before = positions(Lesson, Lesson.module_id, module_id)
    log_in(client, "coordinator@jelgava.example")
    assert move(client, course, "lessons", first, "up").status_code == 409
    assert move(client, course, "lessons", third, "sideways").status_code == 409
    assert positions(Lesson, Lesson.module_id, module_id) == before


def test_the_outline_offers_only_the_moves_that_exist(world, client):
    course = make_course(owner_tenant=world.jelgava)
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"{JELGAVA}/manage/{course.id}/").get_data(as_text=True)
    assert page.count('value="up"') == 2 and page.count('value="down"') == 2  # three lessons, one module: no module moves
    assert '<span class="visually-hidden">: One (en)</span>' in page


def test_staff_and_partners_cannot_reorder(world, client):
    course = make_course(owner_tenant=world.jelgava)
    first = lesson_ids(course)[0]
    module_id = db.session.scalar(sa.select(CourseModule.id))
    before = positions(Lesson, Lesson.module_id, module_id)
    log_in(client, "staff@jelgava.example")
    token = csrf_token(client.get(f"{JELGAVA}/").get_data(as_text=True))
    assert client.post(f"{JELGAVA}/manage/{course.id}/lessons/{first}/move", data={"direction": "down", "csrf_token": token}).status_code in (403, 404)
    assert positions(Lesson, Lesson.module_id, module_id) == before
