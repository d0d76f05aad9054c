"""Forms of the lending pages, and the words the pages use for kinds, channels, delivery modes and target groups.

Dates are typed in the user's locale or picked (ISO); labels and messages are lazy, translated per request.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import Length

from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.lending.models import BorrowerKind, Channel, Delivery
from bibnet.web.fields import LocalDateField, SelectField

KIND_LABELS = {BorrowerKind.PERSON: _l("A person"), BorrowerKind.INSTITUTION: _l("An institution (a care home, a day centre)")}
CHANNEL_LABELS = {
    Channel.PHONE: _l("Phone call"),
    Channel.SMS: _l("Text message"),
    Channel.EMAIL: _l("E-mail"),
    Channel.POST: _l("Letter"),
    Channel.VISIT: _l("In person, on a home visit"),
}
DELIVERY_LABELS = {
    Delivery.DESK: _l("Collected at the library"),
    Delivery.STAFF: _l("Home delivery by staff"),
    Delivery.VOLUNTEER: _l("Home delivery by a volunteer"),
}
TARGET_GROUP_LABELS = {group: VISITOR_LABELS[group.value] for group in TargetGroup}
LOCALE_LABELS = {"lv": _l("Latvian"), "lt": _l("Lithuanian"), "en": _l("English")}


def _choices(labels: dict) -> list:
    return [(key.value if hasattr(key, "value") else key, label) for key, label in labels.items()]


class BorrowerForm(FlaskForm):
    kind = RadioField(_l("Borrower"), choices=_choices(KIND_LABELS), default=BorrowerKind.PERSON.value)
    name = StringField(_l("Name"), validators=[Length(max=200)], description=_l("For an institution, its name."))
    phone = StringField(_l("Phone (optional if there is an e-mail address or an address)"), validators=[Length(max=40)], render_kw={"autocomplete": "off"})
    email = StringField(_l("E-mail address (optional)"), validators=[Length(max=254)], render_kw={"autocomplete": "off"})
    address = TextAreaField(_l("Address (optional)"), validators=[Length(max=300)], render_kw={"rows": 2})
    contact_person = StringField(
        _l("Carer, relative or responsible person (optional for a person)"), validators=[Length(max=200)],
        description=_l("For an institution: the person responsible for its loans."),
    )
    contact_phone = StringField(_l("Their phone (optional)"), validators=[Length(max=40)])
    preferred_locale = SelectField(_l("Preferred language"), choices=_choices(LOCALE_LABELS), default="lv")
    preferred_channel = SelectField(_l("Preferred way to be reached"), choices=_choices(CHANNEL_LABELS), default=Channel.PHONE.value)
    consent_on = LocalDateField(_l("Consent given on"), description=_l("The day the borrower agreed that the library keeps these details."))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name, phone or e-mail"), validators=[Length(max=100)])


class LendForm(FlaskForm):
    tag = StringField(_l("Tag of the item or kit"), validators=[Length(max=30)], description=_l("Scan the label or type the tag, like BN-00012."), render_kw={"autocomplete": "off", "spellcheck": "false"})
    borrower = SelectField(_l("Borrower"), coerce=str, validate_choice=False)  # the service names an unknown one
    due_on = LocalDateField(_l("Due back on"))
    target_group = SelectField(_l("Counted in the target group"), choices=_choices(TARGET_GROUP_LABELS), description=_l("For the project's figures only: a count on the loan, not a fact kept about the person."))
    delivery = RadioField(_l("Delivery"), choices=_choices(DELIVERY_LABELS), default=Delivery.DESK.value)
    volunteer_name = StringField(_l("Volunteer's name (for delivery by a volunteer)"), validators=[Length(max=200)])
    staff = SelectField(_l("Staff member who delivers it (for delivery by staff)"), coerce=str, validate_choice=False, description=_l("Their route: the overdue digest lists it for them."))
    acceptance_on_paper = BooleanField(_l("The borrower signed the acceptance on paper"))
    acceptance_signed_on = LocalDateField(_l("Signed on"))
    acceptance_scan = FileField(_l("Or upload a scan of the signed acceptance (PDF, JPEG or PNG, optional)"))
    notes = TextAreaField(_l("Notes (optional)"), validators=[Length(max=2000)], render_kw={"rows": 2})


class RenewForm(FlaskForm):
    due_on = LocalDateField(_l("New due date"))


class ReturnForm(FlaskForm):
    tag = StringField(_l("Tag of the item or kit"), validators=[Length(max=30)], description=_l("Scan the label or type the tag, like BN-00012."), render_kw={"autocomplete": "off", "spellcheck": "false"})
    notes = TextAreaField(_l("Notes (optional)"), validators=[Length(max=2000)], render_kw={"rows": 2})


class ReservationForm(FlaskForm):
    tag = StringField(_l("Tag of the item or kit"), validators=[Length(max=30)], render_kw={"autocomplete": "off", "spellcheck": "false"})
    starts_on = LocalDateField(_l("From"))
    ends_on = LocalDateField(_l("To (included)"))
    borrower = SelectField(_l("For a borrower (optional)"), coerce=str, validate_choice=False)
    purpose = StringField(_l("Or what it is reserved for"), validators=[Length(max=200)], description=_l("For example: a session in the sensory room."))
