"""The public verification page /verify/<code>: anyone, without logging in, reads the holder's initials, the
course, the date, the issuer and the validity, and nothing else; an unknown code is a 404 page that says so; the
page reads across libraries only for the code it is given, and is rate-limited like the other public pages."""
from datetime import timedelta

from certificate_fixtures import certificates_of, complete
from elearning_fixtures import make_course
import pytest

from bibnet.db import utcnow
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate
from bibnet.extensions import db
from bibnet.tenancy.context import tenant_scope

from conftest import log_in


@pytest.fixture
def certificate(world):
    """Pasvalys's staff member (Tomas Staff) completed the project's course: the visitor is no member of Pasvalys."""
    course = make_course(project=world.project, title={"en": "Welcoming visitors", "lt": "Lankytojų priėmimas"})
    complete(world.pasvalys, world.other_staff, course)
    return certificates_of(world.pasvalys)[0]


def set_certificate(world, certificate_id, **values):
    with tenant_scope(world.pasvalys):
        certificate = db.session.get(Certificate, certificate_id)
        for name, value in values.items():
            setattr(certificate, name, value)
        db.session.commit()


def test_the_page_shows_initials_course_date_issuer_and_validity_and_nothing_else(world, certificate, client):
    response = client.get(f"/verify/{services.shown(certificate.code)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "T. S." in page
    assert "Welcoming visitors" in page
    assert "Pasvalys District Municipality" in page and "Inclusive libraries" in page
    assert "This certificate is valid." in page
    for private in ("Tomas", "Staff</", "staff@pasvalys.example", str(world.other_staff.id) + "/", "Jelgava"):
        assert private not in page


@pytest.mark.parametrize("typed", ["{lower}", "{plain}", "%20{shown}%20", "{lower_shown}"])
def test_a_code_is_found_typed_in_any_case_with_or_without_dash_and_spaces(certificate, client, typed):
    code = certificate.code
    url = "/verify/" + typed.format(lower=code.lower(), plain=code, shown=services.shown(code), lower_shown=services.shown(code).lower())
    assert client.get(url).status_code == 200


def test_the_form_sends_a_typed_code_to_its_page(certificate, client):
    response = client.get("/verify/", query_string={"code": f"  {certificate.code.lower()} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{services.shown(certificate.code)}")
    assert client.get("/verify/").status_code == 200
    malformed = client.get("/verify/", query_string={"code": "a/b?c"})
    assert malformed.status_code == 404 and "No certificate has this code." in malformed.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["22222-AAAAA", "not-a-code", "0000000000"])
def test_an_unknown_code_is_a_404_page_that_says_so(world, certificate, client, typed):
    response = client.get(f"/verify/{typed}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "No certificate has this code." in page and 'name="code"' in page
    assert "Pasvalys" not in page


def test_an_unknown_and_a_malformed_code_are_looked_up_alike(world, certificate, app, count_queries):
    with count_queries() as unknown:
        services.verify("22222-AAAAA", utcnow().date())
    with count_queries() as malformed:
        services.verify("#?", utcnow().date())
    assert unknown.n == malformed.n == 1


def test_an_expired_certificate_says_when_it_expired(world, certificate, client):
    set_certificate(world, certificate.id, valid_until=utcnow().date() - timedelta(days=3))
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate expired on" in page and "is valid" not in page


def test_a_revoked_certificate_says_it_was_revoked_but_not_why(world, certificate, client):
    set_certificate(world, certificate.id, revoked_at=utcnow(), revoked_by_id=world.other_coordinator.id, revocation_reason="Copied the quiz")
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate was revoked on" in page
    assert "Copied the quiz" not in page and "Rūta" not in page


def test_a_logged_in_member_of_another_library_sees_the_same_few_fields(world, certificate, client):
    log_in(client, "coordinator@jelgava.example")
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "T. S." in page and "Tomas" not in page


def test_the_page_is_rate_limited(certificate, client):
    answers = [client.get(f"/verify/{certificate.code}").status_code for _ in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_the_api_verifies_with_the_same_fields(world, certificate, client):
    response = client.get(f"/api/v1/certificates/{certificate.code.lower()}")
    assert response.status_code == 200
    assert response.json == {
        "initials": "T. S.", "course": "Welcoming visitors", "issued_on": certificate.issued_at.date().isoformat(),
        "library": "Pasvalys District Municipality", "project": "Inclusive libraries", "status": "valid",
        "valid_until": None, "revoked_on": None,
    }
    missing = client.get("/api/v1/certificates/22222-AAAAA")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_initials_take_the_first_letter_of_each_name():
    assert services.initials("Jānis Bērziņš") == "J. B."
    assert services.initials("  ūla  ") == "Ū."
