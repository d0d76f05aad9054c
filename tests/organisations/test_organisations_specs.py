"""The partners' register: organisations (unique names, deactivated but kept, contact persons erased a while
after), cooperation agreements (expiry not before signing, the signed document checked by its content and
stored in the core storage), reminders before expiry (60 and 14 days, each once), the home task, the
organisations cooperating in the figures registry (RCO87), the pages and the API."""
from datetime import datetime, time, timedelta
import io
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bibnet import figures, jobs
from bibnet.accounts.services import issue_api_token
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.refusals import Refused
from bibnet.storage.models import StoredFile
from bibnet.tenancy.context import tenant_scope
from bibnet.tenants.organisations import privacy, reminders, services
from bibnet.tenants.organisations.figures import BEGAN_COOPERATING, COOPERATING
from bibnet.tenants.organisations.models import Agreement, Organisation, OrganisationKind
from bibnet.tenants.programmes.models import Place, Programme, ProgrammeKind, ProgrammeOrganisation, ProgrammeSession, Registration, RegistrationStatus

from conftest import csrf_token, log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def organisation(name="Jelgavas sociālo lietu pārvalde", kind=OrganisationKind.SOCIAL_SERVICES, **fields) -> Organisation:
    return services.add_organisation(services.OrganisationInput(name=name, kind=kind, **fields))


def agreement(partner, signed_on, expires_on=None, **fields) -> Agreement:
    return services.add_agreement(partner, services.AgreementInput(parties=fields.pop("parties", "Library and partner"), signed_on=signed_on, expires_on=expires_on, **fields))


def today(world):
    return world.jelgava.today()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


class TestOrganisations:
    def test_an_organisation_is_registered_with_its_kind_and_contact(self, world, in_jelgava):
        added = organisation(contact_person="  Ilze Kalna  ", email="ilze@example.lv")
        assert (added.kind, added.contact_person, added.active) == (OrganisationKind.SOCIAL_SERVICES, "Ilze Kalna", True)

    @pytest.mark.parametrize(("fields", "field"), [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not an address"}, "email"),
        ({"phone": "1" * 41}, "phone"),
    ])
    def test_bad_input_is_refused_with_a_field_error_and_nothing_is_written(self, world, in_jelgava, fields, field):
        with pytest.raises(Refused) as refusal:
            organisation(**dict({"name": "Pansionāts"}, **fields))
        assert field in refusal.value.errors
        assert count(Organisation) == 0

    def test_a_name_is_unique_in_a_library_whatever_its_case_but_not_across_libraries(self, world):
        with tenant_scope(world.jelgava):
            organisation("Jelgavas invalīdu biedrība")
            with pytest.raises(Refused) as refusal:
                organisation("JELGAVAS INVALĪDU BIEDRĪBA")
            assert "name" in refusal.value.errors
            db.session.commit()
        with tenant_scope(world.pasvalys):
            organisation("Jelgavas invalīdu biedrība")  # another library's register

    def test_a_deactivated_organisation_keeps_its_history_and_its_contact_is_erased_after_the_period(self, app, world, in_jelgava):
        partner = organisation(contact_person="Ilze Kalna", phone="+371 2000 0000", email="ilze@example.lv")
        agreement(partner, today(world) - timedelta(days=30))
        services.set_active(partner, False)
        db.session.commit()
        assert partner.deactivated_at is not None
        assert privacy.erase_contacts(utcnow()) == 0  # still within the period
        later = utcnow() + timedelta(days=app.config[privacy.RETENTION_SETTING] + 1)
        assert privacy.erase_contacts(later) == 1
        kept = db.session.scalar(sa.select(Organisation).where(Organisation.id == partner.id))
        assert (kept.name, kept.contact_person, kept.phone, kept.email) == ("Jelgavas sociālo lietu pārvalde", "", "", "")
        assert count(Agreement) == 1

    def test_an_active_organisation_keeps_its_contact(self, app, world, in_jelgava):
        organisation(contact_person="Ilze Kalna")
        db.session.commit()
        assert privacy.erase_contacts(utcnow() + timedelta(days=10 * 365)) == 0


class TestAgreements:
    def test_an_agreement_is_recorded_with_its_dates_and_scope(self, world, in_jelgava):
        partner = organisation()
        signed = agreement(partner, today(world) - timedelta(days=10), today(world) + timedelta(days=365), scope="Referrals")
        assert signed.in_force_on(today(world)) and not signed.in_force_on(today(world) + timedelta(days=366))

    @pytest.mark.parametrize(("signed_offset", "expires_offset", "field"), [
        (-10, -11, "expires_on"),  # expires before it is signed
        (1, 30, "signed_on"),  # signed in the future
    ])
    def test_impossible_dates_are_refused_and_nothing_is_written(self, world, in_jelgava, signed_offset, expires_offset, field):
        partner = organisation()
        with pytest.raises(Refused) as refusal:
            agreement(partner, today(world) + timedelta(days=signed_offset), today(world) + timedelta(days=expires_offset))
        assert list(refusal.value.errors) == [field]
        assert count(Agreement) == 0

    def test_the_database_refuses_an_expiry_before_signing_too(self, world, in_jelgava):
        partner = organisation()
        db.session.add(Agreement(organisation_id=partner.id, parties="x", signed_on=today(world), expires_on=today(world) - timedelta(days=1)))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


class TestReminders:
    def test_coordinators_are_told_60_and_14_days_before_expiry_each_once(self, world, in_jelgava):
        partner = organisation()
        agreement(partner, today(world) - timedelta(days=300), today(world) + timedelta(days=59))
        db.session.commit()
        now = utcnow()
        assert reminders.send_reminders(now) == 1
        assert reminders.send_reminders(now) == 0  # the same day again: nothing
        assert reminders.send_reminders(now + timedelta(days=30)) == 0  # 29 days left: the 60-day reminder is sent already
        assert reminders.send_reminders(now + timedelta(days=45)) == 1  # 14 days left
        assert reminders.send_reminders(now + timedelta(days=50)) == 0
        told = db.session.scalars(sa.select(Notification).where(Notification.kind == "organisations.agreement_expiring")).all()
        assert [notification.user_id for notification in told] == [world.coordinator.id, world.coordinator.id]  # the coordinator, not the staff
        assert "Jelgavas sociālo lietu pārvalde" in told[0].subject

    def test_a_late_start_sends_only_the_nearest_reminder_and_a_new_expiry_makes_them_due_again(self, world, in_jelgava):
        partner = organisation()
        signed = agreement(partner, today(world) - timedelta(days=300), today(world) + timedelta(days=10))
        db.session.commit()
        assert reminders.send_reminders() == 1 and signed.reminded_days == 14
        services.update_agreement(signed, services.AgreementInput(parties="Renewed", signed_on=signed.signed_on, expires_on=today(world) + timedelta(days=50)))
        db.session.commit()
        assert signed.reminded_days is None
        assert reminders.send_reminders() == 1

    def test_no_reminder_for_an_open_ended_or_expired_agreement(self, world, in_jelgava):
        partner = organisation()
        agreement(partner, today(world) - timedelta(days=300))
        agreement(partner, today(world) - timedelta(days=300), today(world) - timedelta(days=1))
        db.session.commit()
        assert reminders.send_reminders() == 0

    def test_the_reminders_run_daily_through_the_job_runner(self, world, in_jelgava):
        partner = organisation()
        agreement(partner, today(world) - timedelta(days=300), today(world) + timedelta(days=14))
        db.session.commit()
        job = next(job for job in jobs.registered_jobs() if job.name == "organisations.agreement_reminders")
        assert job.every == timedelta(days=1) and job.at is not None
        assert job.run(utcnow()) == "reminded of 1 expiring agreement(s)"
        assert job.run(utcnow()) == "reminded of 0 expiring agreement(s)"

    @pytest.mark.parametrize(("days_left", "reminded", "due"), [(61, None, None), (60, None, 60), (15, 60, None), (14, 60, 14), (3, None, 14), (3, 14, None), (-1, None, None)])
    def test_the_reminder_due(self, days_left, reminded, due):
        assert reminders.reminder_due(days_left, reminded) == due

    def test_a_home_task_lists_the_agreements_expiring_soon_for_those_who_keep_the_register(self, app, world, client):
        with tenant_scope(world.jelgava):
            partner = organisation()
            agreement(partner, today(world) - timedelta(days=300), today(world) + timedelta(days=20))
            agreement(partner, today(world) - timedelta(days=300), today(world) + timedelta(days=200))
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        page = client.get("/").get_data(as_text=True)
        assert "1 partner agreement expires soon in Jelgava Municipality" in page and 'href="/t/jelgava/partners/#expiring"' in page
        with app.test_request_context():
            assert reminders.expiring_agreements(world.lead) == [] and reminders.expiring_agreements(world.admin) == []


class TestCooperatingFigure:
    def test_organisations_with_an_agreement_in_force_or_a_co_organised_programme_count_once(self, world, in_jelgava):
        day = today(world)
        first, last = day.replace(month=1, day=1), day.replace(month=12, day=31)
        with_agreement, co_organiser, both, _idle, expired = (organisation(name) for name in ("A", "B", "C", "D", "E"))
        agreement(with_agreement, first - timedelta(days=400))  # open-ended
        agreement(both, first)
        agreement(expired, first - timedelta(days=400), first - timedelta(days=1))
        programme = Programme(kind=ProgrammeKind.CLUB, title={"en": "Club"})
        db.session.add(programme)
        db.session.flush()
        starts = datetime.combine(first, time(10), ZoneInfo("Europe/Riga"))
        db.session.add_all([
            ProgrammeOrganisation(programme_id=programme.id, organisation_id=co_organiser.id),
            ProgrammeOrganisation(programme_id=programme.id, organisation_id=both.id),
            ProgrammeSession(programme_id=programme.id, starts_at=starts, ends_at=starts + timedelta(hours=1), place=Place.ADDRESS, address="Lielā iela 1"),
        ])
        db.session.commit()
        table = figures.compute([COOPERATING, BEGAN_COOPERATING], [world.jelgava], first, last)
        assert table.value(world.jelgava.id, COOPERATING) == 3  # A, B, C; D does nothing, E expired before the year
        assert table.value(world.jelgava.id, BEGAN_COOPERATING) == 2  # B and C; A's agreement was signed before the year
        later = figures.compute([COOPERATING, BEGAN_COOPERATING], [world.jelgava], last + timedelta(days=400), last + timedelta(days=401))
        assert later.value(world.jelgava.id, COOPERATING) == 2  # A and C: open-ended agreements
        assert later.value(world.jelgava.id, BEGAN_COOPERATING) == 0  # nobody new: added up over periods, each counts once

    def test_the_indicator_counts_each_organisation_once_over_the_project(self):
        assert figures.figure(BEGAN_COOPERATING).indicators == ("RCO87",)
        assert figures.figure(COOPERATING).indicators == ()


def _upload_form(client, url, **fields):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields}, content_type="multipart/form-data")


class TestPages:
    def test_a_coordinator_adds_an_organisation_and_an_agreement_with_its_signed_document(self, world, client):
        log_in(client, "coordinator@jelgava.example")
        response = _upload_form(client, "/t/jelgava/partners/new", name="Pansionāts “Zemgale”", kind="care_home")
        assert response.status_code == 302
        with tenant_scope(world.jelgava):
            partner_id = db.session.scalar(sa.select(Organisation.id))
        response = _upload_form(
            client, f"/t/jelgava/partners/{partner_id}/agreements/new", parties="Jelgava library and Zemgale", signed_on=str(today(world)),
            expires_on=str(today(world) + timedelta(days=365)), scope="Home deliveries", document=(io.BytesIO(PDF), "agreement.pdf"),
        )
        assert response.status_code == 302
        with tenant_scope(world.jelgava):
            signed = db.session.scalar(sa.select(Agreement))
            stored = db.session.scalar(sa.select(StoredFile).where(StoredFile.id == signed.document_id))
            assert (stored.area, stored.content_type, stored.filename) == ("organisations.agreement", "application/pdf", "agreement.pdf")
        page = client.get(f"/t/jelgava/partners/{partner_id}/").get_data(as_text=True)
        assert f'/t/jelgava/files/{stored.id}' in page and "agreement.pdf" in page
        assert client.get(f"/t/jelgava/files/{stored.id}").data == PDF

    @pytest.mark.parametrize(("fields", "field_id", "upload"), [
        ({"signed_on": "2026-02-30"}, "signed_on", None),  # no such day
        ({"expires_on_offset": -5}, "expires_on", None),  # expires before signing
        ({}, "document", (b"MZ\x90\x00 not a document", "agreement.exe")),  # a wrong type of file
        ({}, "document", (b"just text", "agreement.pdf")),  # a PDF by name only
    ])
    def test_bad_input_on_the_agreement_form_shows_a_field_error_and_writes_nothing(self, world, client, fields, field_id, upload):
        with tenant_scope(world.jelgava):
            partner = organisation()
            db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        fields = dict(fields)
        data = {"parties": "Library and partner", "signed_on": str(today(world) - timedelta(days=1))}
        if "expires_on_offset" in fields:
            data["expires_on"] = str(today(world) + timedelta(days=fields.pop("expires_on_offset")))
        data |= fields
        if upload:
            data["document"] = (io.BytesIO(upload[0]), upload[1])
        response = _upload_form(client, f"/t/jelgava/partners/{partner.id}/agreements/new", **data)
        assert response.status_code == 422
        assert f'id="{field_id}-error"' in response.get_data(as_text=True)
        with tenant_scope(world.jelgava):
            assert count(Agreement) == 0 and count(StoredFile) == 0

    def test_deactivating_moves_an_organisation_to_the_deactivated_list(self, world, client):
        with tenant_scope(world.jelgava):
            partner = organisation()
            db.session.commit()
        log_in(client, "staff@jelgava.example")
        assert _upload_form(client, f"/t/jelgava/partners/{partner.id}/active", active="0").status_code == 302
        assert "Jelgavas sociālo" not in client.get("/t/jelgava/partners/").get_data(as_text=True)
        assert "Jelgavas sociālo" in client.get("/t/jelgava/partners/?show=inactive").get_data(as_text=True)

    def test_the_page_shows_the_people_referred_and_the_programmes_co_organised(self, world, client):
        with tenant_scope(world.jelgava):
            partner = organisation()
            programme = Programme(kind=ProgrammeKind.CLUB, title={"en": "Seniors' club", "lv": "Senioru klubs"})
            db.session.add(programme)
            db.session.flush()
            db.session.add(ProgrammeOrganisation(programme_id=programme.id, organisation_id=partner.id))
            db.session.add_all([
                Registration(programme_id=programme.id, status=RegistrationStatus.REGISTERED, is_group=True, group_size=1, places=1, token=f"t{number}", referred_by_id=partner.id)
                for number in range(3)
            ])
            db.session.commit()
        log_in(client, "coordinator@jelgava.example")
        page = client.get(f"/t/jelgava/partners/{partner.id}/").get_data(as_text=True)
        assert "3 registrations to programmes" in page
        assert "Seniors&#39; club" in page or "Seniors' club" in page
        listing = client.get("/t/jelgava/partners/").get_data(as_text=True)
        assert '<td class="number">3</td>' in listing and '<td class="number">1</td>' in listing

    def test_the_list_runs_the_same_number_of_statements_for_few_or_many_organisations(self, world, client, count_queries):
        def add(names):
            with tenant_scope(world.jelgava):
                for name in names:
                    partner = organisation(name)
                    agreement(partner, today(world) - timedelta(days=5), today(world) + timedelta(days=30))
                db.session.commit()

        log_in(client, "coordinator@jelgava.example")
        add(["One"])
        with count_queries() as few:
            assert client.get("/t/jelgava/partners/").status_code == 200
        add([f"Organisation {number}" for number in range(15)])
        with count_queries() as many:
            assert client.get("/t/jelgava/partners/").status_code == 200
        assert many.n == few.n <= 14, many.statements

    def test_a_visiting_project_lead_does_not_see_the_register(self, world, client):
        log_in(client, "lead@pasvalys.example")
        assert client.get("/t/jelgava/partners/").status_code in (403, 404)


class TestApi:
    def test_organisations_and_agreements_through_the_api(self, world, client):
        secret = issue_api_token(world.coordinator, "mine")
        db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
        created = client.post("/api/v1/tenants/jelgava/organisations", json={"name": "Jelgavas invalīdu biedrība", "kind": "disability_society"}, headers=headers)
        assert created.status_code == 201, created.get_json()
        partner_id = created.get_json()["id"]
        refused = client.post(f"/api/v1/tenants/jelgava/organisations/{partner_id}/agreements", json={"parties": "Library and society", "signed_on": "2026-01-10", "expires_on": "2025-12-31"}, headers=headers)
        assert refused.status_code == 422 and "expires_on" in str(refused.get_json())
        signed = client.post(f"/api/v1/tenants/jelgava/organisations/{partner_id}/agreements", json={"parties": "Library and society", "signed_on": "2026-01-10", "expires_on": None}, headers=headers)
        assert signed.status_code == 201 and signed.get_json()["expires_on"] is None
        agreement_id = signed.get_json()["id"]
        wrong = client.post(f"/api/v1/tenants/jelgava/agreements/{agreement_id}/document", data={"document": (io.BytesIO(b"plain text"), "agreement.pdf")}, headers=headers, content_type="multipart/form-data")
        assert wrong.status_code == 422 and "document" in str(wrong.get_json())
        with tenant_scope(world.jelgava):
            assert count(StoredFile) == 0
        uploaded = client.post(f"/api/v1/tenants/jelgava/agreements/{agreement_id}/document", data={"document": (io.BytesIO(PDF), "agreement.pdf")}, headers=headers, content_type="multipart/form-data")
        assert uploaded.status_code == 200 and "/t/jelgava/files/" in uploaded.get_json()["document_url"]
        listed = client.get(f"/api/v1/tenants/jelgava/organisations/{partner_id}/agreements", headers=headers).get_json()
        assert listed["total"] == 1
        assert client.post(f"/api/v1/tenants/jelgava/organisations/{partner_id}/active", json={"active": False}, headers=headers).get_json()["active"] is False
        assert client.get("/api/v1/tenants/jelgava/organisations", headers=headers).get_json()["total"] == 0
