"""A form view's save step (`bibnet.web.forms.saving`): what the block wrote is committed, or a refusal is shown
on the form and nothing of the block is kept."""
from flask_wtf import FlaskForm
import sqlalchemy as sa
from wtforms import StringField

from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.models import Tenant
from bibnet.web.forms import Outcome, saving


class NameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()


def _names() -> list[str]:
    return list(db.session.scalars(sa.select(Tenant.name).order_by(Tenant.name)))


def test_a_block_that_ends_normally_is_committed(app, make_tenant):
    tenant = make_tenant("jelgava")
    with app.test_request_context(), saving(NameForm()) as outcome:
        tenant.name = "Jelgavas bibliotēka"
    db.session.rollback()  # nothing left to roll back: the block was committed
    assert outcome.saved and not outcome.refused and outcome.error is None
    assert _names() == ["Jelgavas bibliotēka"]


def test_a_refusal_writes_nothing_and_puts_its_messages_next_to_the_fields(app, make_tenant):
    tenant = make_tenant("jelgava")
    original = tenant.name
    with app.test_request_context():
        form = NameForm()
        with saving(form) as outcome:
            tenant.name = "half-written"
            raise Refused({"name": ["Too short."], "elsewhere": ["Not allowed today."]})
    assert not outcome.saved and outcome.refused
    assert form.name.errors == ["Too short."]
    assert outcome.error == "Not allowed today."  # no field of that name: for the error summary
    assert _names() == [original]


def test_field_names_may_be_worked_out_from_the_refusal(app, make_tenant):
    make_tenant("jelgava")
    with app.test_request_context():
        form = NameForm()
        with saving(form, rename=lambda errors: dict.fromkeys(errors, "name")) as outcome:
            raise Refused({"sources.0.name": ["Give a name."]})
    assert form.name.errors == ["Give a name."] and outcome.error is None and outcome.refused


def test_a_form_not_sent_yet_has_an_outcome_with_nothing_to_show():
    outcome = Outcome()
    assert not outcome.saved and not outcome.refused and outcome.error is None
