"""The funding report shows the staff trained per partner, in person and online, and the programme indicators of
joint training, from e-learning's figures in the core's registry (the report imports no e-learning)."""
import csv
from datetime import UTC, datetime, timedelta
import io

import pypdf
import sqlalchemy as sa

from bibnet import demo
from bibnet.accounts.models import Role
from bibnet.elearning.models import Course, CourseModule, CourseStatus, Lesson
from bibnet.elearning.workshops import services
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import ReportingPeriod, Tenant

from conftest import log_in

pytest_plugins = ["report_demo"]

IN_PERSON = "Staff who completed a course: in person"
RCO85, RCR81 = "Participations in the project's shared courses (RCO85)", "Staff who completed a shared course of the project (RCR81)"


def test_the_funding_report_shows_staff_trained_per_partner_in_person_and_online(demo_project, make_user, client):
    """Five of Pasvalys's staff at a workshop of the shared course: the project report (page and CSV) shows them
    in person under Pasvalys, with the codes of the programme indicators."""
    pasvalys = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    course = Course(project_id=demo_project.id, status=CourseStatus.PUBLISHED, title={"en": "Welcoming visitors"})
    db.session.add(Lesson(module=CourseModule(course=course, title={"en": "One"}), title={"en": "Lesson"}, content={"en": "Text"}, estimated_minutes=90))
    db.session.commit()
    course_id = course.id
    people = [make_user(f"trainee{number}@pasvalys.example", f"Trainee {number}", pasvalys, Role.STAFF) for number in range(5)]
    with tenant_scope(pasvalys):
        services.record(services.WorkshopInput(
            held_on=pasvalys.today() - timedelta(days=1), course_id=course_id, module_id=None, facilitator="Dace", place="",
            attendees=tuple(services.Attendance(person.id) for person in people),
        ), pasvalys, None)
        db.session.commit()
    today = datetime.now(UTC).date()
    period = db.session.scalar(sa.select(ReportingPeriod).where(ReportingPeriod.project_id == demo_project.id, ReportingPeriod.starts_on <= today, ReportingPeriod.ends_on >= today))
    log_in(client, "lead@pasvalys.example", demo.PASSWORD)
    response = client.get(f"/projects/{demo_project.id}/funding/report.csv?period={period.number}")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True)[1:])))
    header = next(line for line in lines if line and line[0] == "Indicator")
    in_person = next(line for line in lines if line and line[0] == IN_PERSON)
    codes = {partner.tenant_id: partner.code for partner in demo_project.partners}
    assert in_person[header.index(codes[pasvalys.id])] == "5"
    hours = next(line for line in lines if line and line[0] == "Training hours of completed courses")
    assert hours[header.index(codes[pasvalys.id])] == "7.5"  # five people, 90 minutes each
    assert any(line and line[0] == RCR81 for line in lines) and any(line and line[0] == RCO85 for line in lines)
    pdf = client.get(f"/projects/{demo_project.id}/funding/report.pdf?period={period.number}")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "in person" in text and "RCR81" in text
