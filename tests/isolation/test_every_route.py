"""Every route, tried from the wrong tenant, answers 404 and shows nothing of the other tenant."""
from datetime import date, time
from decimal import Decimal
import re

import pytest
import sqlalchemy as sa

from bibnet.access import declared_permission
from bibnet.accounts.models import ApiToken, Membership
from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.elearning.certificates.models import Certificate, CourseRequirement
from bibnet.elearning.models import Course, CourseMedia, CourseModule, CourseStatus, Enrolment, Lesson, LessonProgress, MediaKind
from bibnet.elearning.packages.models import ScormAttempt, ScormFile, ScormPackage
from bibnet.elearning.quizzes.models import QuestionKind, Quiz, QuizAttempt, QuizOption, QuizQuestion
from bibnet.elearning.workshops.models import Workshop, WorkshopAttendee
from bibnet.extensions import db
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Partner, Project, ReportingPeriod
from bibnet.tenants.bookings import services
from bibnet.tenants.bookings.models import Booking, Occurrence, Status
from bibnet.tenants.budgets import services as budgets
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion, CostCategory
from bibnet.tenants.expenditure import services as expenditure
from bibnet.tenants.expenditure.models import Expenditure, ExpenditureAttachment, ExpenditureStatus
from bibnet.tenants.inventory import services as inventory
from bibnet.tenants.inventory.categories import ensure_shared_categories
from bibnet.tenants.inventory.models import Category, Item, Location
from bibnet.tenants.inventory.stocktakes import services as stocktakes
from bibnet.tenants.inventory.stocktakes.models import StockTake, StockTakeEntry
from bibnet.tenants.rooms.models import Closure, Room

from conftest import booking_input, csrf_token, log_in, monday_in

TENANT_ARGUMENT = "tenant_slug"
# URL arguments that are no ids, with a value their route accepts.
OTHER_ARGUMENTS = {"file_format": "csv"}
# Through the caller's own tenant prefix: not found, not allowed for the method, or (for an action the
# caller's role lacks, like approving a budget) forbidden before any object is looked up.
REFUSED = (403, 404, 405)
# A form that would change something if it were accepted.
FORM_DATA = {"role": "coordinator", "action": "deactivate", "reason": "Taken over", "name": "Renamed", "capacity": "3"}


def as_jelgava_coordinator(client, world):
    """A function that sends a request as Jelgava's coordinator: pages with the session and a CSRF token, the
    API with a bearer token (the API does not accept the session), both with data that would change things."""
    log_in(client, "coordinator@jelgava.example")
    token = csrf_token(client.get("/profile").get_data(as_text=True))
    secret = issue_api_token(world.coordinator, "mine")
    db.session.commit()

    def send(method, url):
        if url.startswith("/api/"):
            return client.open(url, method=method, headers={"Authorization": f"Bearer {secret}"}, json=None if method == "GET" else FORM_DATA)
        return client.open(url, method=method, data={**FORM_DATA, "csrf_token": token})

    return send


def _pasvalys_object_ids(world, make_room) -> dict:
    """Ids of real objects of the other tenant (Pasvalys), for every id argument a route can take."""
    room = make_room(world.pasvalys, "Pasvalys sensory room", needs_approval=True)
    with tenant_scope(world.pasvalys):
        stored = StoredFile(key=f"tenants/{world.pasvalys.id}/test/x", area="test", filename="x.pdf", content_type="application/pdf", size=1)
        closure = Closure(starts_on=monday_in(3), ends_on=monday_in(3), reason="Pasvalys holiday")
        db.session.add_all([stored, closure])
        booking = services.create_booking(booking_input(room, world.other_staff, monday_in(2), time(10), time(11)), world.other_staff, confirm=False)
        db.session.commit()
        membership_id = db.session.scalar(sa.select(Membership.id).order_by(Membership.id))
        ids = {"membership_id": membership_id, "file_id": stored.id, "room_id": room.id, "closure_id": closure.id, "booking_id": booking.id, "occurrence_id": booking.occurrences[0].id}
        ids |= _pasvalys_finances(world, stored)
        ids |= _pasvalys_training(world)
        ids |= _pasvalys_stocktake()
    issue_api_token(world.other_coordinator, "theirs")
    db.session.commit()
    ids["token_id"] = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == world.other_coordinator.id))
    return ids


def _pasvalys_finances(world, attached_file) -> dict:
    """Pasvalys's budget (version 0 with one line) and one draft invoice with a file, in the shared project."""
    db.session.add(ReportingPeriod(project_id=world.project.id, number=1, starts_on=world.project.starts_on, ends_on=world.project.ends_on))
    version = BudgetVersion(project_id=world.project.id, number=0, in_force=False)
    db.session.add(version)
    line = budgets.add_line(version, CostCategory.EQUIPMENT, "Pasvalys bubble tube", Decimal("1"), Decimal("2400.00"), periods=1)
    item = expenditure.create(expenditure.ExpenditureInput(
        period_number=1, category="equipment", invoice_date=date(2025, 3, 3), supplier="UAB Pasvalys supplies",
        description="Pasvalys bubble tube", invoice_total=Decimal("2400.00"), declared_amount=Decimal("2400.00"), invoice_number="PS-1",
    ), world.project)
    attachment = ExpenditureAttachment(expenditure=item, file=attached_file)
    db.session.add(attachment)
    db.session.flush()
    partner_id = db.session.scalar(sa.select(Partner.id).where(Partner.tenant_id == world.pasvalys.id))
    return {"line_id": line.id, "number": version.number, "expenditure_id": item.id, "attachment_id": attachment.id, "partner_id": partner_id, "project_id": world.project.id}


def _pasvalys_training(world) -> dict:
    """A course of Pasvalys's own (not the shared project's), with a module and a lesson, and an enrolment in it."""
    course = Course(owner_tenant_id=world.pasvalys.id, status=CourseStatus.PUBLISHED, title={"en": "Pasvalys course"})
    module = CourseModule(course=course, title={"en": "Pasvalys module"})
    lesson = Lesson(module=module, title={"en": "Pasvalys lesson"}, content={"en": "Pasvalys text"})
    db.session.add_all([course, module, lesson])
    db.session.flush()
    enrolment = Enrolment(user_id=world.other_staff.id, course_id=course.id)
    db.session.add(enrolment)
    picture = CourseMedia(course_id=course.id, kind=MediaKind.IMAGE, key=f"courses/{course.id}/x", filename="x.png", content_type="image/png", size=1)
    db.session.add(picture)
    db.session.flush()
    package = ScormPackage(lesson_id=lesson.id, launch="index.html")  # the lesson is a SCORM lesson too: player, runtime, files
    db.session.add(package)
    db.session.flush()
    db.session.add(ScormFile(package_id=package.id, path="index.html", key="courses/pasvalys/sco", content_type="text/html", size=1))
    db.session.flush()
    return {"course_id": course.id, "module_id": module.id, "lesson_id": lesson.id, "media_id": picture.id} | _pasvalys_quiz(world, lesson, enrolment) | _pasvalys_workshop(world, course) | _pasvalys_certificate(world, course)



def _pasvalys_certificate(world, course) -> dict:
    """An earlier completion of the course by Pasvalys's staff member, with its certificate, and the course
    required for hosting sessions in Pasvalys."""
    enrolment = Enrolment(user_id=world.other_staff.id, course_id=course.id, completed_at=utcnow())
    db.session.add(enrolment)
    db.session.flush()
    certificate = Certificate(code="PASVA22222", user_id=world.other_staff.id, course_id=course.id, enrolment_id=enrolment.id, issued_at=utcnow())
    requirement = CourseRequirement(action="bookings.host_session", course_id=course.id)
    db.session.add_all([certificate, requirement])
    db.session.flush()
    return {"certificate_id": certificate.id, "requirement_id": requirement.id}


def _pasvalys_stocktake() -> dict:
    """A stock-take of Pasvalys's store room, expecting its one item, in progress."""
    store = Location(name="Pasvalys store")
    db.session.add(store)
    ensure_shared_categories()
    db.session.flush()
    inventory.register(Item(name="Pasvalys projector", category=db.session.scalar(sa.select(Category)), location_id=store.id))
    stocktake = stocktakes.start(store, None)
    return {"stocktake_id": stocktake.id}


def _pasvalys_workshop(world, course) -> dict:
    """A workshop Pasvalys recorded, with its staff member attending."""
    workshop = Workshop(held_on=date(2026, 1, 5), course_id=course.id, facilitator="Pasvalys trainer")
    db.session.add(workshop)
    db.session.flush()
    db.session.add(WorkshopAttendee(workshop_id=workshop.id, user_id=world.other_staff.id))
    db.session.flush()
    return {"workshop_id": workshop.id}


def _pasvalys_quiz(world, lesson, enrolment) -> dict:
    """A quiz on Pasvalys's lesson with one question, and an open attempt at it by Pasvalys's staff member."""
    quiz = Quiz(lesson_id=lesson.id, pass_mark=80)
    question = QuizQuestion(quiz=quiz, kind=QuestionKind.TRUE_FALSE, text={"en": "Pasvalys question"}, options=[QuizOption(text={"en": "True"}, correct=True)])
    db.session.add_all([quiz, question])
    db.session.flush()
    attempt = QuizAttempt(quiz_id=quiz.id, user_id=world.other_staff.id, enrolment_id=enrolment.id, started_at=utcnow(), layout=[[question.id, [question.options[0].id]]])
    db.session.add(attempt)
    db.session.flush()
    return {"quiz_question_id": question.id, "quiz_attempt_id": attempt.id}


def _nothing_of_pasvalys_changed(world):
    with all_tenants(reason="test: nothing of pasvalys changed"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(Membership.active)) == 4
        assert db.session.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.user_id == world.other_coordinator.id)) is None
        room = db.session.scalar(sa.select(Room))
        assert (room.name, room.capacity, room.active) == ("Pasvalys sensory room", 8, True)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Closure)) == 1
        assert db.session.scalar(sa.select(Occurrence.status)) is Status.REQUESTED
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
        line = db.session.scalar(sa.select(BudgetLine))
        assert (line.description, line.total) == ("Pasvalys bubble tube", Decimal("2400.00"))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetVersion)) == 1
        item = db.session.scalar(sa.select(Expenditure))
        assert (item.status, item.deleted_at, item.description) == (ExpenditureStatus.DRAFT, None, "Pasvalys bubble tube")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ExpenditureAttachment)) == 1
        course = db.session.scalar(sa.select(Course))
        assert (course.title, course.status, db.session.scalar(sa.select(sa.func.count()).select_from(Lesson))) == ({"en": "Pasvalys course"}, CourseStatus.PUBLISHED, 1)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 2  # the open one and the completed one with its certificate
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseMedia)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScormAttempt)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScormFile)) == 1
        assert db.session.scalar(sa.select(QuizAttempt.submitted_at)) is None
        assert db.session.scalar(sa.select(Quiz.pass_mark)) == 80 and db.session.scalar(sa.select(sa.func.count()).select_from(QuizQuestion)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkshopAttendee)) == 1
        certificate = db.session.scalar(sa.select(Certificate))
        assert (certificate.revoked_at, certificate.revocation_reason) == (None, None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseRequirement)) == 1
        assert db.session.scalar(sa.select(StockTake.finished_at)) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry).where(StockTakeEntry.found_at.is_not(None))) == 0
        assert db.session.scalar(sa.select(Item.last_stocktake_on)) is None


def _urls(app, values: dict):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        arguments = {name: values.get(name, OTHER_ARGUMENTS.get(name, 1)) for name in rule.arguments}
        if TENANT_ARGUMENT in rule.arguments:
            arguments[TENANT_ARGUMENT] = "pasvalys"
        elif not (set(rule.arguments) & set(values)):
            continue  # no tenant and no object of anyone else in it
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def test_a_member_of_another_tenant_gets_404_on_every_route(app, world, client, make_room):
    values = _pasvalys_object_ids(world, make_room)
    send = as_jelgava_coordinator(client, world)
    tried = []
    for endpoint, method, url in _urls(app, values):
        response = send(method, url)
        body = response.get_data(as_text=True)
        assert response.status_code == 404, f"{method} {url} ({endpoint}) answered {response.status_code}: {body[:3000]}"
        assert "Pasvalys" not in body and "pasvalys.example" not in body, f"{method} {url} shows Pasvalys data"
        tried.append(endpoint)
    assert {"tenancy.home", "tenant_users.index", "tenant_users.edit", "storage.download", "api_accounts.tenant_users", "accounts.revoke_token"} <= set(tried)
    assert {"audit.index", "audit_project.index_of_project"} <= set(tried)
    assert {"elearning.index", "elearning.lesson", "elearning.mark_done", "elearning.edit_lesson", "elearning.progress_csv", "elearning_project.edit_course"} <= set(tried)
    assert {"elearning.course_file", "elearning.media", "elearning.media_file", "elearning.move_lesson", "elearning.move_module", "elearning.translations", "elearning.delete_media"} <= set(tried)
    assert {
        "elearning_packages.export", "elearning_packages.import_package", "elearning_packages.import_scorm", "elearning_packages.player",
        "elearning_packages.runtime", "elearning_project_packages.export",
    } <= set(tried)
    assert {"quizzes.attempt", "quiz_authoring.edit_question", "quiz_authoring_project.delete_question", "api_quizzes.submit_attempt"} <= set(tried)
    assert {"elearning_workshops.index", "elearning_workshops.new", "elearning_workshops.show", "elearning_workshops.attendees"} <= set(tried)
    assert {"certificates.download", "certificates.revoke", "certificates.enrol_again", "certificates.remove_requirement", "api_certificates.certificate_pdf", "api_certificates.revoke"} <= set(tried)
    assert {"api_elearning.get_lesson", "api_elearning.enrol", "api_elearning.progress_matrix", "api_elearning.my_enrolments"} <= set(tried)
    assert {"tenancy.home", "tenant_users.index", "tenant_users.edit", "storage.download", "api_accounts.tenant_users", "accounts.revoke_token", "web.project"} <= set(tried)
    assert {"stocktakes.index", "stocktakes.show", "stocktakes.scan", "stocktakes.finish", "stocktakes.result", "stocktakes.move", "labels.index", "labels.sheet", "labels.contact"} <= set(tried)
    assert {"api_stocktakes.start_stocktake", "api_stocktakes.scan", "api_stocktakes.finish", "api_stocktakes.result", "api_labels.labels_pdf"} <= set(tried)
    _nothing_of_pasvalys_changed(world)


def test_a_coordinator_of_another_tenant_cannot_reach_objects_through_their_own_tenant(app, world, client, make_room):
    """/t/jelgava/…/<id of a Pasvalys object>: the tenant prefix is the caller's own, the object is not."""
    values = _pasvalys_object_ids(world, make_room)
    send = as_jelgava_coordinator(client, world)
    # The project is shared by both tenants, so it alone proves nothing here; see the test after this one.
    object_arguments = set(values) - {"membership_id", "token_id", "project_id", "partner_id"}
    tried = []
    for rule in app.url_map.iter_rules():
        if TENANT_ARGUMENT not in rule.arguments or not (set(rule.arguments) & object_arguments):
            continue
        arguments = {name: values.get(name, OTHER_ARGUMENTS.get(name, 1)) for name in rule.arguments} | {TENANT_ARGUMENT: "jelgava"}
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = send(method, url)
            assert response.status_code in REFUSED, f"{method} {url} answered {response.status_code}"
            assert "Pasvalys" not in response.get_data(as_text=True)
            tried.append(rule.endpoint)
    assert tried
    assert {"elearning.course", "elearning.lesson", "elearning.mark_done", "elearning.edit_course", "elearning.edit_module", "elearning.edit_lesson"} <= set(tried)
    assert {"elearning.course_file", "elearning.media", "elearning.media_file", "elearning.move_lesson", "elearning.move_module", "elearning.translations", "elearning.delete_media"} <= set(tried)
    assert {"elearning_packages.export", "elearning_packages.import_scorm", "elearning_packages.player", "elearning_packages.runtime"} <= set(tried)
    assert {"quizzes.start", "quizzes.attempt", "quiz_authoring.settings", "quiz_authoring.delete_question", "api_quizzes.submit_attempt"} <= set(tried)
    assert {"certificates.download", "certificates.revoke", "certificates.enrol_again", "certificates.remove_requirement", "api_certificates.revoke"} <= set(tried)
    assert {"api_elearning.get_course", "api_elearning.get_lesson", "api_elearning.mark_lesson_done", "api_elearning.enrol"} <= set(tried)
    assert {"stocktakes.show", "stocktakes.scan", "stocktakes.finish", "stocktakes.result", "stocktakes.move", "api_stocktakes.scan", "api_stocktakes.finish", "api_stocktakes.result"} <= set(tried)
    _nothing_of_pasvalys_changed(world)


def test_a_project_the_tenant_is_no_partner_of_answers_404_on_every_tenant_route(app, world, client):
    """/t/jelgava/…/<id of a project only Pasvalys is a partner of>: budgets, expenditure, funding reports."""
    theirs = Project(programme="Interreg VI-A Latvia–Lithuania", acronym="PasvalysOnly", title="Pasvalys only", starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    db.session.add(theirs)
    db.session.flush()
    db.session.add(Partner(project_id=theirs.id, tenant_id=world.pasvalys.id, number=1, role="lead"))
    db.session.commit()
    send = as_jelgava_coordinator(client, world)
    tried = []
    for rule in app.url_map.iter_rules():
        if not {TENANT_ARGUMENT, "project_id"} <= set(rule.arguments):
            continue
        arguments = {name: OTHER_ARGUMENTS.get(name, 1) for name in rule.arguments} | {TENANT_ARGUMENT: "jelgava", "project_id": theirs.id}
        with app.test_request_context():
            url = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = send(method, url)
            assert response.status_code in REFUSED, f"{method} {url} answered {response.status_code}"
            assert "Pasvalys only" not in response.get_data(as_text=True)
            tried.append(rule.endpoint)
    assert {"budget.show", "expenditure.index", "funding.dashboard"} & set(tried)


def test_an_unknown_tenant_and_a_foreign_tenant_look_the_same(world, client):
    log_in(client, "staff@jelgava.example")
    unknown, foreign = client.get("/t/no-such-place/"), client.get("/t/pasvalys/")
    assert unknown.status_code == foreign.status_code == 404
    def page(response, slug):  # the slug and the per-request CSRF token are expected to differ
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True).replace(slug, "X"))

    assert page(unknown, "no-such-place") == page(foreign, "pasvalys")


# The endpoints anyone may open without logging in. A new one is a decision: add it here, with its reason.
PUBLIC_ENDPOINTS = {
    "web.healthz", "web.switch_language", "web.accessibility_statement", "web.privacy_notice", "help.index", "help.area",
    "accounts.login", "accounts.forgot_password", "accounts.reset_password", "accounts.accept_invitation", "api-docs.openapi_json",
    "ical.feed",  # a room's feed at its secret URL
    "certificates_public.verify_form", "certificates_public.verify", "api_certificates_public.verify",  # anyone holding a certificate code
    "scorm_content.file",  # a SCORM lesson's files at a signed, expiring address, for the frame sandboxed without cookies
    "items_public.show",  # an equipment item's page at its label's random token: what it is, how to use it, whom to call
}


def test_the_public_endpoints_are_the_listed_ones(app):
    public = {endpoint for endpoint, view in app.view_functions.items() if declared_permission(view) == "public"}
    assert public == PUBLIC_ENDPOINTS


def test_every_endpoint_declares_a_permission_or_is_public(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if not endpoint.endswith("static") and declared_permission(view) is None
    ]
    assert undeclared == []


def test_an_endpoint_without_a_declared_permission_is_refused(app, world, client):
    app.view_functions["web.healthz"].__dict__.pop("bibnet_permission")
    try:
        assert client.get("/healthz").status_code == 404
    finally:
        app.view_functions["web.healthz"].bibnet_permission = "public"


@pytest.mark.parametrize("url", ["/t/jelgava/", "/t/jelgava/users/", "/profile", "/", "/projects/1/"])
def test_pages_need_a_log_in(world, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
