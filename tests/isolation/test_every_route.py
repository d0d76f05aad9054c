"""Every route, tried from the wrong tenant, answers 404 and shows nothing of the other tenant."""
from datetime import date, time, timedelta
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
from bibnet.tenants.inventory.durability.models import DisposalRequest
from bibnet.tenants.inventory.models import Category, Item, ItemStatus, Location
from bibnet.tenants.inventory.stocktakes import services as stocktakes
from bibnet.tenants.inventory.stocktakes.models import StockTake, StockTakeEntry
from bibnet.tenants.lending import services as lending
from bibnet.tenants.lending.models import Borrower, Loan, Reservation
from bibnet.tenants.rooms.models import Closure, Room

from conftest import booking_input, csrf_token, log_in, monday_in

TENANT_ARGUMENT = "tenant_slug"
# URL arguments that are no ids, with a value their route accepts.
OTHER_ARGUMENTS = {"file_format": "csv"}
OTHER_ARGUMENTS["subject"] = "room"  # survey results of the runs about one programme, room or course
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
        ids |= _pasvalys_funded_item(ids["expenditure_id"])
        ids |= _pasvalys_training(world)
        ids |= _pasvalys_equipment(stored)
        ids |= _pasvalys_visits_and_maintenance(world, ids["item_id"])
        ids |= _pasvalys_lending(world)
        ids |= _pasvalys_stocktake()
        ids |= _pasvalys_programme(world)
        ids |= _pasvalys_partners_and_outreach(world)
        ids |= _pasvalys_survey(room)
        ids |= _project_indicator(world, stored)
    issue_api_token(world.other_coordinator, "theirs")
    db.session.commit()
    ids["token_id"] = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == world.other_coordinator.id))
    return ids


def _project_indicator(world, evidence_file) -> dict:
    """A programme indicator of the shared project, typed by hand, with a value and evidence in period 1 (the lead's only)."""
    from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorEvidence, IndicatorValue, Measurement, ProgrammeIndicator

    period = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.project_id == world.project.id, ReportingPeriod.number == 1))
    indicator = ProgrammeIndicator(project_id=world.project.id, code="RCO115", name="Pasvalys events", unit="events", baseline=0, target=3, measurement=Measurement.MANUAL)
    db.session.add(indicator)
    db.session.flush()
    evidence = IndicatorEvidence(indicator_id=indicator.id, period_id=period.id, description="Pasvalys list", file_tenant_id=world.pasvalys.id, file_id=evidence_file.id, filename="x.pdf")
    db.session.add_all([evidence, IndicatorValue(indicator_id=indicator.id, period_id=period.id, value=1)])
    db.session.flush()
    return {"indicator_id": indicator.id, "indicator_evidence_id": evidence.id, "indicator_period": period.number}


def _pasvalys_funded_item(expenditure_id) -> dict:
    """A funded item of Pasvalys with a disposal request waiting for the lead."""
    ensure_shared_categories()
    category = db.session.scalar(sa.select(Category).where(Category.shared_key == "sensory_equipment"))
    item = inventory.register(Item(name="Pasvalys bubble tube", category=category, cost=Decimal("2400.00"), expenditure_id=expenditure_id))
    request = DisposalRequest(item_id=item.id, reason="Pasvalys: broken")
    db.session.add(request)
    db.session.flush()
    return {"disposal_id": request.id}


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


def _pasvalys_visits_and_maintenance(world, item_id: int) -> dict:
    """A home visit to a Pasvalys borrower, and maintenance of a Pasvalys item: a schedule and its task."""
    from bibnet.tenants.home_visits.models import HomeVisit, PartOfDay
    from bibnet.tenants.lending.models import Borrower
    from bibnet.tenants.maintenance import services as maintenance

    borrower = Borrower(name="Pasvalys borrower", phone="+370 600 00000", consent_on=date(2026, 1, 5))
    db.session.add(borrower)
    db.session.flush()
    visit = HomeVisit(borrower_id=borrower.id, visit_on=world.pasvalys.today(), part_of_day=PartOfDay.MORNING, staff_id=world.other_staff.id)
    db.session.add(visit)
    maintenance.create_schedule(maintenance.ScheduleInput(title="Pasvalys safety test", item_id=item_id, interval_months=12, first_due_on=world.pasvalys.today()))
    db.session.flush()
    return {"visit_id": visit.id}
def _pasvalys_equipment(attached_file) -> dict:
    """A DAISY kit of Pasvalys with a part and a document, in a location of its own, in a category of its own."""
    from bibnet.tenants.inventory import services as inventory
    from bibnet.tenants.inventory.models import Category, Item, ItemDocument, ItemKind, Location

    category = Category(name="Pasvalys players")
    location = Location(name="Pasvalys cupboard")
    db.session.add_all([category, location])
    db.session.flush()
    kit = inventory.register(Item(name="Pasvalys DAISY kit", category=category, kind=ItemKind.KIT, location=location))
    inventory.register(Item(name="Pasvalys DAISY player", category=category, kit_id=kit.id, location=location))
    document = ItemDocument(item_id=kit.id, file=attached_file, title="Pasvalys manual")
    db.session.add(document)
    db.session.flush()
    return {"item_id": kit.id, "location_id": location.id, "category_id": category.id, "item_document_id": document.id}


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



def _pasvalys_lending(world) -> dict:
    """A Pasvalys borrower with an open loan of a DAISY player, and a reservation of a magnifier."""
    ensure_shared_categories()
    category = db.session.scalar(sa.select(Category).where(Category.shared_key == "reading_aids"))
    player, magnifier = (inventory.register(Item(name=name, category=category)) for name in ("Pasvalys DAISY player", "Pasvalys magnifier"))
    borrower = lending.save_borrower(lending.BorrowerInput(name="Pasvalys borrower", phone="+370 600 00000", consent_on=lending.today()))
    loan = lending.lend(lending.LoanInput(item_id=player.id, borrower_id=borrower.id, due_on=lending.today() + timedelta(days=20), target_group="visual", acceptance_signed_on=lending.today()), by=world.other_staff)
    reservation = lending.reserve(lending.ReservationInput(item_id=magnifier.id, starts_on=lending.today() + timedelta(days=3), ends_on=lending.today() + timedelta(days=4), borrower_id=borrower.id), by=world.other_staff)
    return {"borrower_id": borrower.id, "loan_id": loan.id, "reservation_id": reservation.id}


def _pasvalys_partners_and_outreach(world) -> dict:
    """A Pasvalys partner organisation with an agreement, a service at home logged and a needs estimate."""
    from bibnet.tenants.bookings.models import TargetGroup
    from bibnet.tenants.organisations.models import Agreement, Organisation, OrganisationKind
    from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind

    partner = Organisation(name="Pasvalys social services", kind=OrganisationKind.SOCIAL_SERVICES, contact_person="Pasvalys contact")
    db.session.add(partner)
    db.session.flush()
    agreement = Agreement(organisation_id=partner.id, parties="Pasvalys library and social services", signed_on=date(2026, 1, 5))
    service = OutreachService(kind=ServiceKind.HOME_DELIVERY, given_on=date(2026, 1, 6), staff_id=world.other_staff.id, note="Pasvalys delivery", served_seniors=1)
    db.session.add_all([agreement, service, NeedEstimate(target_group=TargetGroup.SENIORS, people=900, source="Pasvalys list", estimated_on=date(2026, 1, 5))])
    db.session.flush()
    return {"organisation_id": partner.id, "agreement_id": agreement.id, "outreach_service_id": service.id}


def _nothing_of_pasvalys_partners_or_outreach_changed():
    from bibnet.tenants.organisations.models import Agreement, Organisation
    from bibnet.tenants.outreach.models import NeedEstimate, OutreachService

    partner = db.session.scalar(sa.select(Organisation))
    assert (partner.name, partner.active, partner.contact_person, db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))) == ("Pasvalys social services", True, "Pasvalys contact", 1)
    assert db.session.scalar(sa.select(Agreement.parties)) == "Pasvalys library and social services"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 1
    assert (db.session.scalar(sa.select(OutreachService.note)), db.session.scalar(sa.select(sa.func.count()).select_from(OutreachService))) == ("Pasvalys delivery", 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NeedEstimate)) == 1


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


def _pasvalys_programme(world) -> dict:
    """A Pasvalys club with a session next week (at an address), one registered person and one waiting."""
    from bibnet.tenants.programmes import registrations
    from bibnet.tenants.programmes import services as programmes
    from bibnet.tenants.programmes.models import Place, ProgrammeKind

    club = programmes.save_programme(programmes.ProgrammeInput(kind=ProgrammeKind.CLUB, title={"lt": "Pasvalys club"}, capacity=1))
    [session] = programmes.add_sessions(club, programmes.SessionInput(place=Place.ADDRESS, first_date=monday_in(1), start_time=time(10), end_time=time(11), address="Pasvalys street 1"))
    registered = registrations.register(club, registrations.RegistrationRequest(name="Pasvalys participant", phone="+370 600 00001"))
    registrations.register(club, registrations.RegistrationRequest(name="Pasvalys waiting", phone="+370 600 00002"))
    return {"programme_id": club.id, "programme_session_id": session.id, "programme_registration_id": registered.id}


def _nothing_of_pasvalys_programmes_changed():
    from bibnet.tenants.programmes.models import Attendance, Programme, ProgrammeSession, Registration, RegistrationStatus

    club = db.session.scalar(sa.select(Programme))
    assert (club.title, club.capacity, club.cancelled_at) == ({"lt": "Pasvalys club"}, 1, None)
    assert db.session.scalar(sa.select(ProgrammeSession.cancelled_at)) is None
    assert [status for (status,) in db.session.execute(sa.select(Registration.status).order_by(Registration.id))] == [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0
def _pasvalys_survey(room) -> dict:
    """A wellbeing survey of Pasvalys's room with a run and five paper responses."""
    from bibnet.tenants.surveys import services as surveys
    from bibnet.tenants.surveys.bank import bank_items
    from bibnet.tenants.surveys.models import Channel

    item_id = bank_items()[0].id
    template = surveys.save_template(None, "Pasvalys wellbeing", [item_id])
    run = surveys.save_run(None, surveys.RunInput(template_id=template.id, title="Pasvalys run", room_id=room.id))
    for _ in range(5):  # enough answers for the results pages to show them
        surveys.record_response(run, surveys.ResponseInput(answers={item_id: 4}, channel=Channel.PAPER))
    return {"survey_template_id": template.id, "survey_run_id": run.id}


def _nothing_of_pasvalys_surveys_changed():
    from bibnet.tenants.surveys.models import SurveyResponse, SurveyRun, SurveyTemplate

    assert db.session.scalar(sa.select(SurveyTemplate.name)) == "Pasvalys wellbeing" and db.session.scalar(sa.select(SurveyRun.title)) == "Pasvalys run"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyResponse)) == 5


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
        item = db.session.scalar(sa.select(Item).where(Item.name == "Pasvalys bubble tube"))
        assert (item.name, item.status, item.expenditure_id) == ("Pasvalys bubble tube", ItemStatus.AVAILABLE, db.session.scalar(sa.select(Expenditure.id)))
        assert db.session.scalar(sa.select(DisposalRequest.decision)) is None
        certificate = db.session.scalar(sa.select(Certificate))
        assert (certificate.revoked_at, certificate.revocation_reason) == (None, None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseRequirement)) == 1
        _nothing_of_pasvalys_visits_or_maintenance_changed()
        _nothing_of_pasvalys_equipment_changed()
        _nothing_of_pasvalys_lending_changed()
        _nothing_of_pasvalys_stocktakes_changed()
        _nothing_of_pasvalys_programmes_changed()
        _nothing_of_pasvalys_partners_or_outreach_changed()
        _nothing_of_pasvalys_surveys_changed()
        _nothing_of_the_project_indicator_changed()


def _nothing_of_the_project_indicator_changed():
    from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorEvidence, IndicatorValue, ProgrammeIndicator

    indicator = db.session.scalar(sa.select(ProgrammeIndicator))
    assert (indicator.name, indicator.target, indicator.deleted_at) == ("Pasvalys events", 3, None)
    assert db.session.scalar(sa.select(IndicatorValue.value)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorEvidence)) == 1


def _nothing_of_pasvalys_visits_or_maintenance_changed():
    from bibnet.tenants.home_visits.models import HomeVisit, VisitStatus
    from bibnet.tenants.maintenance.models import MaintenanceRecord, MaintenanceSchedule

    assert db.session.scalar(sa.select(HomeVisit.status)) is VisitStatus.SCHEDULED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MaintenanceSchedule)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MaintenanceRecord)) == 0


def _nothing_of_pasvalys_equipment_changed():
    from bibnet.tenants.inventory.models import Category, Item, ItemDocument, ItemStatus, Location

    kit = db.session.scalar(sa.select(Item).where(Item.name == "Pasvalys DAISY kit"))
    assert (kit.status, len(kit.parts)) == (ItemStatus.AVAILABLE, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item)) == 6  # with the funded bubble tube, the lent player, the reserved magnifier, the stock-taken projector
    assert set(db.session.scalars(sa.select(Location.name))) == {"Pasvalys cupboard", "Pasvalys store"}
    assert db.session.scalar(sa.select(Category.name).where(Category.shared_key.is_(None))) == "Pasvalys players"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ItemDocument)) == 1


def _nothing_of_pasvalys_lending_changed():
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Borrower).where(Borrower.name == "Pasvalys borrower", Borrower.erased_at.is_(None))) == 2  # one borrows, one is visited
    loan = db.session.scalar(sa.select(Loan))
    reservation = db.session.scalar(sa.select(Reservation))
    assert (db.session.scalar(sa.select(sa.func.count()).select_from(Loan)), loan.returned_on, loan.renewals) == (1, None, 0)
    assert (reservation.closed_at, db.session.scalar(sa.select(sa.func.count()).select_from(Reservation))) == (None, 1)


def _nothing_of_pasvalys_stocktakes_changed():
    assert db.session.scalar(sa.select(StockTake.finished_at)) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StockTakeEntry).where(StockTakeEntry.found_at.is_not(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Item).where(Item.last_stocktake_on.is_not(None))) == 0


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
    assert {"home_visits.index", "home_visits.show", "home_visits.log", "api_home_visits.get_visit", "api_home_visits.log_visit"} <= set(tried)
    assert {"maintenance.index", "maintenance.new_record", "maintenance.send", "maintenance.back", "api_maintenance.add_record", "api_maintenance.send"} <= set(tried)
    assert {"inventory.index", "inventory.show", "inventory.edit", "inventory.change_status", "inventory.add_part", "inventory.delete_document", "inventory.edit_location", "inventory.edit_category"} <= set(tried)
    assert {"api_inventory.list_items", "api_inventory.get_item", "api_inventory.change_status", "api_inventory.update_location", "api_inventory.update_category"} <= set(tried)
    assert {"inventory_import.upload", "inventory_import.mapping", "inventory_import.preview", "inventory_import.confirm", "api_inventory_import.import_items"} <= set(tried)
    assert {"durability.link", "durability.unlink", "durability.evidence_pdf", "durability.evidence_zip", "durability.request_disposal", "durability.decide"} <= set(tried)
    assert {"durability.index", "durability.register_csv", "durability_project.index", "durability_project.register_csv"} <= set(tried)
    assert {"lending.index", "lending.lend", "lending.loan", "lending.renew", "lending.return_loan", "lending.check", "lending.borrower", "lending.edit_borrower", "lending.cancel_reservation"} <= set(tried)
    assert {"api_lending.get_loan", "api_lending.renew", "api_lending.return_loan", "api_lending.check", "api_lending.change_borrower", "api_lending.cancel_reservation", "api_lending.lend"} <= set(tried)
    assert {"stocktakes.index", "stocktakes.show", "stocktakes.scan", "stocktakes.finish", "stocktakes.result", "stocktakes.move", "labels.index", "labels.sheet", "labels.contact"} <= set(tried)
    assert {"api_stocktakes.start_stocktake", "api_stocktakes.scan", "api_stocktakes.finish", "api_stocktakes.result", "api_labels.labels_pdf"} <= set(tried)
    assert {"programmes.index", "programmes.new", "programmes.show", "programmes.edit", "programmes.cancel", "programmes.new_session", "programmes.cancel_session"} <= set(tried)
    assert {"programmes.registrations_list", "programmes.new_registration", "programmes.cancel_registration", "programmes.roster", "programmes.roster_pdf"} <= set(tried)
    assert {
        "api_programmes.list_programmes", "api_programmes.create_programme", "api_programmes.get_programme", "api_programmes.update_programme", "api_programmes.cancel_programme",
        "api_programmes.get_places", "api_programmes.list_sessions", "api_programmes.add_sessions", "api_programmes.cancel_session", "api_programmes.list_registrations",
        "api_programmes.register", "api_programmes.cancel_registration", "api_programmes.get_attendance", "api_programmes.record_attendance",
    } <= set(tried)
    assert {"organisations.index", "organisations.show", "organisations.edit", "organisations.set_active", "organisations.new_agreement", "organisations.edit_agreement"} <= set(tried)
    assert {"outreach.services", "outreach.new", "outreach.edit", "outreach.monthly", "outreach.needs", "outreach.new_need"} <= set(tried)
    assert {"api_organisations.get_organisation", "api_organisations.update_organisation", "api_organisations.set_active", "api_organisations.add_agreement", "api_organisations.update_agreement", "api_organisations.upload_document"} <= set(tried)
    assert {"api_outreach.list_services", "api_outreach.log_service", "api_outreach.get_service", "api_outreach.update_service", "api_outreach.list_needs", "api_outreach.record_need"} <= set(tried)
    assert {"surveys.index", "surveys.bank", "surveys.edit_template", "surveys.show_run", "surveys.edit_run", "surveys.paper_form", "surveys.enter"} <= set(tried)
    assert {"api_surveys.list_bank", "api_surveys.get_template", "api_surveys.update_template", "api_surveys.get_run", "api_surveys.update_run", "api_surveys.enter_response"} <= set(tried)
    assert {
        "surveys_results.index", "surveys_results.subject", "surveys_results.run", "surveys_results.run_results_file", "surveys_results.answers_file",
        "surveys_results_project.index", "surveys_results_project.results_file", "api_surveys_results.run_results",
    } <= set(tried)
    assert {
        "programme_indicators.index", "programme_indicators.add_common", "programme_indicators.new", "programme_indicators.edit", "programme_indicators.remove",
        "programme_indicators.period_values", "programme_indicators.evidence_file", "programme_indicators.remove_evidence",
        "api_programme_indicators.get_indicators", "api_programme_indicators.put_indicators", "api_programme_indicators.get_period", "api_programme_indicators.put_period",
    } <= set(tried)
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
    assert {"home_visits.show", "home_visits.log", "maintenance.new_record", "maintenance.new_schedule", "maintenance.send", "api_home_visits.log_visit", "api_maintenance.back"} <= set(tried)
    assert {"inventory.show", "inventory.edit", "inventory.change_status", "inventory.add_part", "inventory.remove_part", "inventory.add_document", "inventory.delete_document", "inventory.add_photo", "inventory.remove_photo"} <= set(tried)
    assert {"inventory.edit_location", "inventory.edit_category", "api_inventory.get_item", "api_inventory.update_item", "api_inventory.change_status"} <= set(tried)
    assert {"durability.link", "durability.unlink", "durability.evidence_pdf", "durability.evidence_zip", "durability.request_disposal", "durability.decide"} <= set(tried)
    assert {"lending.loan", "lending.renew", "lending.return_loan", "lending.check", "lending.edit_borrower", "lending.cancel_reservation", "api_lending.get_loan", "api_lending.check"} <= set(tried)
    assert {"stocktakes.show", "stocktakes.scan", "stocktakes.finish", "stocktakes.result", "stocktakes.move", "api_stocktakes.scan", "api_stocktakes.finish", "api_stocktakes.result"} <= set(tried)
    assert {"programmes.show", "programmes.edit", "programmes.cancel", "programmes.roster", "programmes.roster_pdf", "programmes.cancel_registration", "api_programmes.record_attendance"} <= set(tried)
    assert {"organisations.show", "organisations.edit", "organisations.set_active", "organisations.new_agreement", "organisations.edit_agreement", "outreach.edit"} <= set(tried)
    assert {"api_organisations.get_organisation", "api_organisations.set_active", "api_organisations.list_agreements", "api_organisations.update_agreement", "api_outreach.get_service", "api_outreach.update_service"} <= set(tried)
    assert {"surveys.edit_template", "surveys.show_run", "surveys.edit_run", "surveys.paper_form", "surveys.enter", "api_surveys.update_run", "api_surveys.enter_response"} <= set(tried)
    assert {"surveys_results.run", "surveys_results.run_results_file", "surveys_results.answers_file", "api_surveys_results.run_results"} <= set(tried)
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
    # a library's public programmes (listing, page with its registration form, iCal feed), and a participant's own
    # confirmation and cancel pages at their registration's random token (tests/programmes_public)
    "programmes_public.index", "programmes_public.programme", "programmes_public.feed", "programmes_public.registered", "programmes_public.cancel",
    "surveys_public.answer", "surveys_public.thanks",  # a survey run's anonymous answer page at its public code
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
