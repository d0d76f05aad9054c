"""Forms of the durability pages. They only collect the input: the services judge it (`Refused`)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from bibnet.tenants.inventory.durability.labels import DECISION_LABELS


class LinkForm(FlaskForm):
    expenditure = IntegerField(_l("Invoice"), validators=[Optional()])


class DisposalForm(FlaskForm):
    reason = TextAreaField(_l("Why should the item be disposed of?"), description=_l("The project lead reads this before deciding, for example: broken beyond repair, the repair costs more than a new one."))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice(decision.value, label) for decision, label in DECISION_LABELS.items()], validate_choice=False)
    comment = TextAreaField(_l("Comment"), description=_l("Required when you reject the request; the coordinator sees it."))
