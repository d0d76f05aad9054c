"""Certificates are issued once when an enrolment completes, with a code people can type; a refresher is a new
enrolment with a new certificate, and the old one stays; revoking needs a reason and is in the audit log."""
from datetime import date
import re

from certificate_fixtures import certificates_of, complete, with_lessons
from elearning_fixtures import lesson_ids, make_course
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate
from bibnet.elearning.models import Course, Enrolment
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.context import all_tenants, tenant_scope

from conftest import csrf_token, log_in

BASE = "/t/jelgava/elearning"


class TestIssuing:
    def test_completing_a_course_issues_one_certificate_with_the_hours_and_validity_of_the_course(self, world):
        course = make_course(owner_tenant=world.jelgava, lessons=(("One", True), ("Two", True), ("Extra", False)))
        course.validity_months = 24
        db.session.commit()
        enrolment = complete(world.jelgava, world.staff, course)
        [certificate] = certificates_of(world.jelgava)
        assert (certificate.user_id, certificate.course_id, certificate.enrolment_id) == (world.staff.id, course.id, enrolment.id)
        assert certificate.minutes == 20  # the two required lessons of 10 minutes; the optional one does not count
        issued = certificate.issued_at.date()
        assert certificate.valid_until > issued and certificate.valid_until.year == issued.year + 2
        assert certificate.tenant_id == world.jelgava.id

    def test_issuing_again_for_the_same_enrolment_returns_the_first_certificate(self, world):
        course = make_course(owner_tenant=world.jelgava)
        enrolment = complete(world.jelgava, world.staff, course)
        with tenant_scope(world.jelgava):
            again = services.issue(db.session.get(Enrolment, enrolment.id), with_lessons(course.id))
            db.session.commit()
        assert [c.id for c in certificates_of(world.jelgava)] == [again.id]

    def test_a_course_without_validity_gives_a_certificate_valid_for_good(self, world):
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        assert certificates_of(world.jelgava)[0].valid_until is None

    def test_validity_ends_the_day_before_the_same_date_months_later(self):
        course = Course(validity_months=24)
        assert services.valid_until(course, date(2026, 12, 2)) == date(2028, 12, 1)
        assert services.valid_until(Course(validity_months=1), date(2026, 1, 31)) == date(2026, 2, 27)


class TestCodes:
    def test_a_code_has_ten_characters_of_an_alphabet_without_look_alikes_shown_in_two_groups(self):
        codes = {services.new_code() for _ in range(2000)}
        assert len(codes) == 2000
        for code in codes:
            assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", code)
            assert not set(code) & set("01OIL")
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}", services.shown(next(iter(codes))))

    @pytest.mark.parametrize("typed", ["7kq4m-xw9rt", " 7KQ4MXW9RT ", "7KQ4M XW9RT", "7kq4m–xw9rt"])
    def test_a_code_is_read_in_any_case_with_or_without_dash_or_spaces(self, typed):
        assert services.normalised(typed) == "7KQ4MXW9RT"

    @pytest.mark.parametrize("typed", ["", "7KQ4M", "7KQ4M-XW9RT-2", "0KQ4M-XW9RT", "<script>", None])
    def test_what_cannot_be_a_code_is_none(self, typed):
        assert services.normalised(typed) is None

    def test_codes_are_unique_across_libraries_and_a_clash_draws_again(self, world, monkeypatch):
        course = make_course(project=world.project)
        complete(world.jelgava, world.staff, course)
        [first] = certificates_of(world.jelgava)
        draws = iter([first.code, "22222AAAAA"])
        monkeypatch.setattr(services, "new_code", lambda: next(draws))
        complete(world.pasvalys, world.other_staff, course)
        assert certificates_of(world.pasvalys)[0].code == "22222AAAAA"


class TestRefresher:
    def test_enrolling_again_starts_a_new_completion_and_keeps_the_old_enrolment_and_certificate(self, world):
        course = make_course(owner_tenant=world.jelgava)
        first = complete(world.jelgava, world.staff, course)
        [old] = certificates_of(world.jelgava)
        with tenant_scope(world.jelgava):
            assert services.enrol_again(db.session.get(Certificate, old.id), world.coordinator) == 1
            db.session.commit()
        second = complete(world.jelgava, world.staff, course)
        assert second.id != first.id
        certificates = certificates_of(world.jelgava)
        assert [c.enrolment_id for c in certificates] == [first.id, second.id]
        assert certificates[0].code == old.code and certificates[0].revoked_at is None

    def test_the_coordinator_enrols_again_from_the_staff_certificates_page(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        [certificate] = certificates_of(world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        page = client.get(f"{BASE}/manage/certificates/")
        assert "Jānis Staff" in page.get_data(as_text=True)
        response = client.post(f"{BASE}/manage/certificates/{certificate.id}/enrol-again", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 302
        with tenant_scope(world.jelgava):
            enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == world.staff.id).order_by(Enrolment.id)).all()
        assert [e.completed_at is None for e in enrolments] == [False, True]


class TestRevoking:
    def test_revoking_needs_a_reason_and_changes_nothing_without_one(self, world):
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        with tenant_scope(world.jelgava):
            certificate = db.session.scalar(sa.select(Certificate))
            with pytest.raises(Refused) as refused:
                services.revoke(certificate, "   ", world.coordinator)
            assert refused.value.errors == {"reason": [services.REASON_NEEDED]}
            assert certificate.revoked_at is None

    def test_a_coordinator_revokes_with_a_reason_on_the_page_and_the_audit_log_records_it(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        [certificate] = certificates_of(world.jelgava)
        log_in(client, "coordinator@jelgava.example")
        url = f"{BASE}/manage/certificates/{certificate.id}/revoke"
        token = csrf_token(client.get(url).get_data(as_text=True))
        empty = client.post(url, data={"csrf_token": token, "reason": ""})
        assert empty.status_code == 422 and "Say why the certificate is revoked." in empty.get_data(as_text=True)
        assert client.post(url, data={"csrf_token": token, "reason": "Issued by mistake"}).status_code == 302
        [revoked] = certificates_of(world.jelgava)
        assert (revoked.revocation_reason, revoked.revoked_by_id) == ("Issued by mistake", world.coordinator.id)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "Certificate", AuditEntry.action == "update"))
        assert entry.actor_id == world.coordinator.id and entry.tenant_id == world.jelgava.id
        assert "Issued by mistake" in str(entry.changes)
        log = client.get("/t/jelgava/audit/").get_data(as_text=True)
        assert "Certificate" in log

    def test_staff_cannot_revoke(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        [certificate] = certificates_of(world.jelgava)
        log_in(client, "staff@jelgava.example")
        assert client.get(f"{BASE}/manage/certificates/{certificate.id}/revoke").status_code == 403


class TestLearnerPages:
    def test_the_learner_downloads_the_certificate_from_their_completed_courses(self, world, client):
        course = make_course(owner_tenant=world.jelgava)
        log_in(client, "staff@jelgava.example")
        for lesson_id in lesson_ids(course):
            page = client.get(f"{BASE}/courses/{course.id}/lessons/{lesson_id}/")
            client.post(f"{BASE}/courses/{course.id}/lessons/{lesson_id}/done", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
        [certificate] = certificates_of(world.jelgava)
        home = client.get(f"{BASE}/").get_data(as_text=True)
        assert f"{BASE}/certificates/{certificate.id}.pdf" in home
        mine = client.get(f"{BASE}/certificates/").get_data(as_text=True)
        assert services.shown(certificate.code) in mine

    def test_another_member_of_staff_cannot_download_someone_elses_certificate(self, world, make_user, client):
        from bibnet.accounts.models import Role

        make_user("colleague@jelgava.example", "Colleague", world.jelgava, Role.STAFF)
        course = make_course(owner_tenant=world.jelgava)
        complete(world.jelgava, world.staff, course)
        [certificate] = certificates_of(world.jelgava)
        log_in(client, "colleague@jelgava.example")
        assert client.get(f"{BASE}/certificates/{certificate.id}.pdf").status_code == 403
        assert services.shown(certificate.code) not in client.get(f"{BASE}/certificates/").get_data(as_text=True)


def test_nothing_is_read_across_tenants_unless_verifying(world):
    course = make_course(project=world.project)
    complete(world.pasvalys, world.other_staff, course)
    assert certificates_of(world.jelgava) == []
    with all_tenants(reason="test"):
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 1


def test_the_staff_certificates_page_runs_as_many_statements_for_many_certificates_as_for_one(world, make_user, client, count_queries):
    from bibnet.accounts.models import Role

    course = make_course(owner_tenant=world.jelgava)
    complete(world.jelgava, world.staff, course)
    log_in(client, "coordinator@jelgava.example")
    with count_queries() as one:
        assert client.get(f"{BASE}/manage/certificates/").status_code == 200
    for number in range(4):
        complete(world.jelgava, make_user(f"learner{number}@jelgava.example", f"Learner {number}", world.jelgava, Role.STAFF), course)
    with count_queries() as five:
        page = client.get(f"{BASE}/manage/certificates/")
    assert page.get_data(as_text=True).count("/revoke") == 5
    assert five.n == one.n


def test_the_staff_list_marks_a_certificate_expiring_within_30_days(world, client):
    from datetime import timedelta

    from bibnet.db import utcnow

    course = make_course(owner_tenant=world.jelgava)
    complete(world.jelgava, world.staff, course)
    with tenant_scope(world.jelgava):
        db.session.scalar(sa.select(Certificate)).valid_until = utcnow().date() + timedelta(days=20)
        db.session.commit()
    log_in(client, "coordinator@jelgava.example")
    assert "Expires soon" in client.get(f"{BASE}/manage/certificates/").get_data(as_text=True)
