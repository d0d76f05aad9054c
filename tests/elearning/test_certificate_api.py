"""The certificates API: my certificates (paginated), a certificate's PDF for its holder and the coordinators,
revoking with a reason (coordinators only, problem+json field error without one); all in the OpenAPI document."""
from certificate_fixtures import certificates_of, complete
from elearning_fixtures import make_course

from bibnet.accounts.services import issue_api_token
from bibnet.elearning.certificates import services
from bibnet.extensions import db

API = "/api/v1/tenants/jelgava"


def bearer(user) -> dict:
    secret = issue_api_token(user, "certificates")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_a_learner_lists_their_certificates_and_downloads_one(world, client):
    course = make_course(owner_tenant=world.jelgava)
    complete(world.jelgava, world.staff, course)
    complete(world.jelgava, world.coordinator, course)
    mine = client.get(f"{API}/certificates", headers=bearer(world.staff))
    assert mine.status_code == 200 and mine.json["total"] == 1
    [item] = mine.json["items"]
    certificate = certificates_of(world.jelgava, world.staff)[0]
    assert item["code"] == services.shown(certificate.code) and item["status"] == "valid" and item["hours"] == "0.3"
    pdf = client.get(f"{API}/certificates/{certificate.id}/pdf", headers=bearer(world.staff))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    theirs = certificates_of(world.jelgava, world.coordinator)[0]
    assert client.get(f"{API}/certificates/{theirs.id}/pdf", headers=bearer(world.staff)).status_code == 403


def test_a_coordinator_revokes_with_a_reason_and_staff_cannot(world, client):
    course = make_course(owner_tenant=world.jelgava)
    complete(world.jelgava, world.staff, course)
    certificate = certificates_of(world.jelgava)[0]
    url = f"{API}/certificates/{certificate.id}/revoke"
    assert client.post(url, json={"reason": "x"}, headers=bearer(world.staff)).status_code == 403
    empty = client.post(url, json={"reason": " "}, headers=bearer(world.coordinator))
    assert empty.status_code == 422 and empty.json["errors"]["json"]["reason"] == [str(services.REASON_NEEDED)]
    done = client.post(url, json={"reason": "Issued by mistake"}, headers=bearer(world.coordinator))
    assert done.status_code == 200 and done.json["status"] == "revoked"
    again = client.post(url, json={"reason": "Twice"}, headers=bearer(world.coordinator))
    assert again.status_code == 422


def test_the_certificate_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/tenants/{tenant_slug}/certificates", "/api/v1/tenants/{tenant_slug}/certificates/{certificate_id}/pdf",
            "/api/v1/tenants/{tenant_slug}/certificates/{certificate_id}/revoke", "/api/v1/certificates/{code}"} <= set(paths)
    verify = paths["/api/v1/certificates/{code}"]["get"]
    assert {"200", "404", "429"} <= set(verify["responses"]) and verify["security"] == []
