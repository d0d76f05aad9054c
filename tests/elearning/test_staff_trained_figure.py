"""Staff who completed a course, as the funding reports read it from the core's figures registry: each person
once per library in the period, by the day of completion in the library's time zone."""
from datetime import UTC, date, datetime
from types import SimpleNamespace

from elearning_fixtures import make_course

from bibnet.accounts.models import Role
from bibnet.elearning.models import Enrolment
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.funding_reports import indicators

PERIOD = SimpleNamespace(starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
RIGA_NEW_YEAR = datetime(2025, 12, 31, 22, 0, tzinfo=UTC)  # 1 January 2026, 00:00 in Riga


def completed(tenant, user, course, at):
    with tenant_scope(tenant):
        db.session.add(Enrolment(user_id=user.id, course_id=course.id, completed_at=at))
        db.session.commit()


def staff_completed(tenant) -> int:
    with tenant_scope(tenant):
        return dict(indicators.of_partner(tenant, PERIOD).rows)["Staff who completed a course"][0]


def test_each_person_counts_once_within_the_period_in_the_librarys_days(world, make_user):
    first, second = make_course(owner_tenant=world.jelgava), make_course(owner_tenant=world.jelgava, title={"en": "Easy read"})
    anna, janis, late, early = (make_user(f"{name}@jelgava.example", name.title(), world.jelgava, Role.STAFF) for name in ("anna", "janis", "late", "early"))
    completed(world.jelgava, anna, first, RIGA_NEW_YEAR)  # the first minute of the period, local time
    completed(world.jelgava, anna, second, datetime(2026, 3, 1, 9, tzinfo=UTC))  # a second course: still one person
    completed(world.jelgava, janis, first, datetime(2026, 6, 30, 20, 59, tzinfo=UTC))  # 23:59 on the last day in Riga
    completed(world.jelgava, late, first, datetime(2026, 6, 30, 21, 0, tzinfo=UTC))  # 1 July in Riga: the next period
    completed(world.jelgava, early, first, datetime(2025, 12, 31, 21, 59, tzinfo=UTC))  # still 2025 in Riga
    assert staff_completed(world.jelgava) == 2


def test_a_library_counts_only_its_own_staff(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    completed(world.jelgava, make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF), course, datetime(2026, 2, 2, 10, tzinfo=UTC))
    assert staff_completed(world.jelgava) == 1
    assert staff_completed(world.pasvalys) == 0


def test_an_enrolment_not_completed_does_not_count(world, make_user):
    course = make_course(owner_tenant=world.jelgava)
    completed(world.jelgava, make_user("anna@jelgava.example", "Anna", world.jelgava, Role.STAFF), course, None)
    assert staff_completed(world.jelgava) == 0
