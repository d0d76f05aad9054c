"""The demo's certificates: Jelgava's staff member who completed the shared course holds a valid certificate
whose code verifies on the public page, and one expired certificate exists (Jelgava's coordinator, now on a
refresher of the library's course)."""
from click.testing import CliRunner
from flask.cli import ScriptInfo
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from bibnet.cli import main
from bibnet.db import utcnow
from bibnet.elearning.certificates import services
from bibnet.elearning.certificates.models import Certificate
from bibnet.extensions import db
from bibnet.tenancy.context import all_tenants


def test_the_demo_has_a_valid_certificate_that_verifies_and_an_expired_one(app, app_context, client):
    result = CliRunner().invoke(main, ["demo"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    today = utcnow().date()
    with all_tenants(reason="test: the demo's certificates"):
        certificates = db.session.scalars(sa.select(Certificate).options(joinedload(Certificate.user))).all()
        by_holder = {c.user.email: c for c in certificates}
        assert set(by_holder) == {"staff@jelgava.example", "coordinator@jelgava.example"}
        assert services.validity(by_holder["staff@jelgava.example"], today) is services.Validity.VALID
        assert services.validity(by_holder["coordinator@jelgava.example"], today) is services.Validity.EXPIRED
        code = by_holder["staff@jelgava.example"].code
    page = client.get(f"/verify/{services.shown(code)}", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert "Apmeklētāju uzņemšana sensorajā lasītavā" in page and "staff@jelgava.example" not in page
