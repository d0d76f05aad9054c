"""Forms of the booking pages, and the words the pages use for activities, states and visitor groups.

Dates are typed in the user's locale (31.03.2027 in lv, 2027-03-31 in lt, 3/31/2027 in en; ISO always
works) and times as HH:MM. Labels and messages are lazy, so they are translated per request.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from bibnet.tenants.bookings.calendar import Part
from bibnet.tenants.bookings.labels import ACTIVITY_LABELS, STATUS_LABELS, VISITOR_LABELS
from bibnet.tenants.bookings.models import VISITOR_KINDS, Activity
from bibnet.tenants.bookings.recurrence import Frequency
from bibnet.web.fields import ClockField, CountField, LocalDateField, NumberField, SelectField

FREQUENCY_LABELS = {
    Frequency.ONCE: _l("Does not repeat"),
    Frequency.DAILY: _l("Daily"),
    Frequency.WEEKLY: _l("Weekly, on the weekdays chosen below"),
    Frequency.MONTHLY: _l("Monthly, on the same weekday of the month (e.g. the 2nd Tuesday)"),
}
PART_LABELS = {Part.ANY: _l("Any time"), Part.MORNING: _l("Morning (starts before 12:00)"), Part.AFTERNOON: _l("Afternoon (starts at 12:00 or later)")}
WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))

PHONE = re.compile(r"^\+?[\d\s()\-/]{6,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def optional_int(value):
    """Select values: an id, or None for the empty choice or anything that is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        pass  # unknown weekdays are refused by the rule, with its own message


def _check_contact(form, field):
    value = (field.data or "").strip()
    if value and not (EMAIL.match(value) or PHONE.match(value)):
        raise ValidationError(_("Enter a phone number or an e-mail address, like +371 2000 0000 or name@example.lv."))


def visitor_count_fields():
    """One count per target group, then the carers: in the order of VISITOR_KINDS."""
    return tuple(CountField(VISITOR_LABELS[kind]) for kind in VISITOR_KINDS)


def counts(form, prefix: str) -> dict[str, int]:
    return {kind: getattr(form, f"{prefix}_{kind}").data or 0 for kind in VISITOR_KINDS}


def _activity_field():
    return SelectField(_l("Activity"), choices=[SelectChoice(a.value, label) for a, label in ACTIVITY_LABELS.items()], default=Activity.SENSORY_SESSION.value)


def _title_field():
    return StringField(
        _l("Title"),
        validators=[Length(max=120, message=_l("A title can have at most 120 characters."))],
        description=_l("What the calendar shows, like “Tuesday club”. Not a visitor's name."),
    )


def _responsible_field():
    return SelectField(_l("Staff member responsible"), coerce=optional_int, validate_choice=False)


def _organiser_fields():
    name = StringField(
        _l("Organiser (group, organisation or carer), optional"),
        validators=[Length(max=120, message=_l("A name can have at most 120 characters."))],
    )
    contact = StringField(
        _l("Organiser's phone or e-mail, optional"),
        validators=[Length(max=200, message=_l("The contact can have at most 200 characters.")), _check_contact],
        description=_l("Only to send confirmations and changes. Erased some days after the session."),
        render_kw={"autocomplete": "off"},
    )
    return name, contact


def _note_field():
    return TextAreaField(
        _l("Internal note, optional"),
        validators=[Length(max=2000, message=_l("A note can have at most 2000 characters."))],
        description=_l("Only staff see it. Write what to prepare, never anything about a person's health."),
        render_kw={"rows": 3},
    )


def _require_title(form, field):
    if not (field.data or "").strip():
        raise StopValidation(_("Give the booking a short title, like “Tuesday club”."))


class BookingForm(FlaskForm):
    """A new booking. Fields are in page order, so the error summary lists problems in that order too."""

    room_id = SelectField(_l("Room"), coerce=optional_int, validate_choice=False)
    activity = _activity_field()
    title = _title_field()
    responsible_id = _responsible_field()
    first_date = LocalDateField(_l("Date"), required_message=_l("Enter the date of the session."))
    start_time = ClockField(_l("Start time"), required_message=_l("Enter the start time."))
    end_time = ClockField(_l("End time"), required_message=_l("Enter the end time."))
    frequency = RadioField(_l("Repeat"), choices=[SelectChoice(f.value, label) for f, label in FREQUENCY_LABELS.items()], default=Frequency.ONCE.value)
    interval = NumberField(_l("Every how many days, weeks or months"), default=1, empty=1, render_kw={"min": 1, "max": 52, "inputmode": "numeric"})
    weekdays = MultiCheckboxField(_l("On these weekdays"), choices=[SelectChoice(day, name) for day, name in enumerate(WEEKDAYS)], coerce=int)
    ends = RadioField(_l("The series ends"), choices=[SelectChoice("until", _l("On a date")), SelectChoice("count", _l("After a number of sessions"))], default="until")
    until = LocalDateField(_l("Date of the last session"))
    count = NumberField(_l("Number of sessions"), render_kw={"min": 1, "max": 366, "inputmode": "numeric"})
    organiser_name, organiser_contact = _organiser_fields()
    (expected_seniors, expected_physical, expected_psychosocial, expected_intellectual, expected_visual, expected_hearing, expected_other, expected_carers) = visitor_count_fields()
    internal_note = _note_field()
    skip_unavailable = HiddenField()

    validate_title = _require_title


class DetailsForm(FlaskForm):
    """What a booking is about, changed after booking (its times change by moving its sessions)."""

    activity = _activity_field()
    title = _title_field()
    responsible_id = _responsible_field()
    organiser_name, organiser_contact = _organiser_fields()
    (expected_seniors, expected_physical, expected_psychosocial, expected_intellectual, expected_visual, expected_hearing, expected_other, expected_carers) = visitor_count_fields()
    internal_note = _note_field()

    validate_title = _require_title


class MoveForm(FlaskForm):
    day = LocalDateField(_l("New date"), required_message=_l("Enter the new date."))
    start_time = ClockField(_l("New start time"), required_message=_l("Enter the start time."))
    end_time = ClockField(_l("New end time"), required_message=_l("Enter the end time."))


class AttendanceForm(FlaskForm):
    """Who came, per target group and carers."""

    (attended_seniors, attended_physical, attended_psychosocial, attended_intellectual, attended_visual, attended_hearing, attended_other, attended_carers) = visitor_count_fields()


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, optional"),
        validators=[Length(max=300, message=_l("A reason can have at most 300 characters."))],
        description=_l("The organiser reads it in the e-mail."),
        render_kw={"rows": 3},
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[Length(max=300, message=_l("A reason can have at most 300 characters."))],
        description=_l("The organiser reads it in the e-mail."),
        render_kw={"rows": 3},
    )

    def validate_reason(self, field):
        if not (field.data or "").strip():
            raise StopValidation(_("Give a reason: the organiser will read it."))


class _GetForm(FlaskForm):
    """A form sent with GET (filters, searches): no CSRF token, its values in the URL."""

    class Meta:
        csrf = False


class ChooseForm(_GetForm):
    """Which room and which date a calendar shows."""

    room_id = SelectField(_l("Room"), coerce=optional_int, validate_choice=False)
    date = LocalDateField(_l("Date"))


class ListFilterForm(_GetForm):
    room_id = SelectField(_l("Room"), coerce=optional_int, validate_choice=False)
    # "from" is a Python keyword, but the URLs say ?from=2027-03-01.
    start = LocalDateField(_l("From"), name="from")
    end = LocalDateField(_l("To"), name="to")
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Any status"))] + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()], validate_choice=False)


class FreeSearchForm(_GetForm):
    duration = NumberField(_l("Length in minutes"), default=60, render_kw={"min": 15, "max": 720, "step": 15, "inputmode": "numeric"})
    start = LocalDateField(_l("From"), name="from")
    days = NumberField(_l("Number of days"), default=7, render_kw={"min": 1, "max": 31, "inputmode": "numeric"})
    part = RadioField(_l("Time of day"), choices=[SelectChoice(p.value, label) for p, label in PART_LABELS.items()], default=Part.ANY.value)
    room_id = SelectField(_l("Room"), coerce=optional_int, validate_choice=False)

    def validate_duration(self, field):
        if field.data is None or not 15 <= field.data <= 720:
            raise StopValidation(_("Enter a length from 15 to 720 minutes."))

    def validate_days(self, field):
        if field.data is None or not 1 <= field.data <= 31:
            raise StopValidation(_("Enter a number of days from 1 to 31."))
