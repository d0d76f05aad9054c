"""The demo's partners and services: Pasvalys and Jelgava each have social services, a disability society and a
care home, two agreements of which one expires within the reminder window (so the coordinators are told), home
deliveries and phone consultations over recent months, and an estimate of the people who may need the services
per target group. Loading it twice adds nothing."""
from datetime import timedelta

from click.testing import CliRunner
from flask.cli import ScriptInfo
import pytest
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.notifications import Notification
from bibnet.tenancy.context import tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.organisations import reminders
from bibnet.tenants.organisations.models import Agreement, Organisation, OrganisationKind
from bibnet.tenants.outreach.models import NeedEstimate, OutreachService, ServiceKind


def _load(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("slug", ["pasvalys", "jelgava"])
def test_the_demo_has_partners_agreements_services_and_needs(app, app_context, slug):
    _load(app)
    _load(app)  # idempotent
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    with tenant_scope(tenant):
        today = tenant.today()
        kinds = set(db.session.scalars(sa.select(Organisation.kind)))
        assert {OrganisationKind.SOCIAL_SERVICES, OrganisationKind.DISABILITY_SOCIETY, OrganisationKind.CARE_HOME} <= kinds
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 3
        expiries = sorted(db.session.scalars(sa.select(Agreement.expires_on)))
        assert len(expiries) == 2 and today < expiries[0] <= today + timedelta(days=max(reminders.REMINDER_DAYS)) < expiries[1]
        by_kind = dict(db.session.execute(sa.select(OutreachService.kind, sa.func.count()).group_by(OutreachService.kind)).all())
        assert by_kind[ServiceKind.HOME_DELIVERY] >= 12 and by_kind[ServiceKind.PHONE] >= 12
        assert db.session.scalar(sa.select(sa.func.min(OutreachService.given_on))) < today - timedelta(days=90)
        assert db.session.scalar(sa.select(sa.func.count(sa.distinct(NeedEstimate.target_group)))) >= 6
    assert reminders.send_reminders() >= 2  # the expiring agreement of each library
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(Notification.kind == "organisations.agreement_expiring")) >= 2
