"""The programme, session and registration a page or API call names, loaded by the core through the tenant
guard: another tenant's, or none, is a 404. A session or registration is looked up within the programme the
URL names, so /programmes/1/sessions/<a session of programme 2> is a 404 too."""
from bibnet.loading import addressed, register_loader
from bibnet.tenancy.queries import get_or_404
from bibnet.tenants.programmes.models import Programme, ProgrammeSession, Registration


def visible_programme(programme_id: int) -> Programme:
    return get_or_404(Programme, programme_id)


def _session_of_programme(session_id: int) -> ProgrammeSession | None:
    session = get_or_404(ProgrammeSession, session_id)
    programme = addressed("programme")
    return session if programme is not None and session.programme_id == programme.id else None


def _registration_of_programme(registration_id: int) -> Registration | None:
    registration = get_or_404(Registration, registration_id)
    programme = addressed("programme")
    return registration if programme is not None and registration.programme_id == programme.id else None


register_loader("programme_id", "programme", visible_programme)
register_loader("programme_session_id", "programme_session", _session_of_programme)
register_loader("programme_registration_id", "registration", _registration_of_programme)
