"""`bibnet demo` gives Pasvalys its weekly seniors' club in the sensory room (public, 12 places taken, two
waiting, attendance marked for the sessions held), Jelgava its computer-literacy class series, and the project
its cross-border closing conference organised by Pasvalys with Jelgava and Augšdaugava. Loading it again adds
nothing, and it mails nobody."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa

from bibnet.cli import main
from bibnet.extensions import db
from bibnet.mail import QueuedMail
from bibnet.tenancy.context import all_tenants, tenant_scope
from bibnet.tenancy.models import Tenant
from bibnet.tenants.programmes import services
from bibnet.tenants.programmes.models import Attendance, Place, Programme, ProgrammeKind, ProgrammePartner, ProgrammeSession, Registration


def _load(app):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_demo_has_the_club_the_class_series_and_the_cross_border_conference(app, app_context):
    _load(app)
    pasvalys = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "pasvalys"))
    with tenant_scope(pasvalys):
        club = db.session.scalar(sa.select(Programme).where(Programme.kind == ProgrammeKind.CLUB))
        counts = services.registration_counts(club)
        assert (club.public, club.capacity, counts["registered_places"], counts["waitlisted"]) == (True, 12, 12, 2)
        sessions = db.session.scalars(sa.select(ProgrammeSession).where(ProgrammeSession.programme_id == club.id)).all()
        assert sessions and all(session.place is Place.ROOM and session.occurrence_id for session in sessions)
        assert _count(Attendance) > 0 and any(session.attended_seniors for session in sessions)
        conference = db.session.scalar(sa.select(Programme).where(Programme.kind == ProgrammeKind.EVENT))
        assert conference.cross_border
        assert _count(ProgrammePartner) == 2
    jelgava = db.session.scalar(sa.select(Tenant).where(Tenant.slug == "jelgava"))
    with tenant_scope(jelgava):
        series = db.session.scalar(sa.select(Programme))
        assert series.kind is ProgrammeKind.CLASS_SERIES
    with all_tenants(reason="test: the demo loaded twice"):
        before = (_count(Programme), _count(ProgrammeSession), _count(Registration))
    _load(app)
    with all_tenants(reason="test: the demo loaded twice"):
        assert (_count(Programme), _count(ProgrammeSession), _count(Registration)) == before
    assert _count(QueuedMail) == 0 or not db.session.scalar(sa.select(QueuedMail.recipient).where(QueuedMail.recipient.like("%@example.org")))
