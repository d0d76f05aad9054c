"""Forms of the home visits' pages. They check what a field can know alone; the rules (a borrower of the
library, a visitor, tags that exist) are the services', for pages and API alike."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.home_visits.labels import PART_OF_DAY_LABELS
from bibnet.tenants.home_visits.models import PartOfDay
from bibnet.tenants.home_visits.services import VisitLog
from bibnet.web.fields import CountField, LocalDateField, SelectField, parse_whole_number


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_or_none(value):
    """An id as typed, or None: never more than an id column holds (a longer number names nothing)."""
    return value if isinstance(value, int) else parse_whole_number(value)


def tags_of(text: str) -> list[str]:
    """Tags typed in one field, separated by commas, semicolons or line breaks."""
    return [tag.strip() for tag in text.replace(";", ",").replace("\n", ",").split(",") if tag.strip()]


class VisitForm(FlaskForm):
    borrower_id = SelectField(_l("Borrower"), coerce=_whole_or_none, validators=[InputRequired(message=_l("Choose the borrower to visit."))], validate_choice=False)
    visit_on = LocalDateField(_l("Day"), required_message=_l("Enter the day of the visit."))
    part_of_day = SelectField(_l("Part of the day"), choices=[SelectChoice(part.value, label) for part, label in PART_OF_DAY_LABELS.items()], default=PartOfDay.MORNING.value)
    staff_id = SelectField(_l("Staff member"), coerce=_whole_or_none, validate_choice=False, description=_l("Leave it empty when a volunteer visits."))
    volunteer_name = StringField(_l("Volunteer"), filters=[_strip], description=_l("The volunteer's name, when no staff member visits."))

    def __init__(self, *args, borrowers=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.borrower_id.choices = [SelectChoice("", _l("Choose a borrower"))] + [SelectChoice(borrower.id, borrower.name) for borrower in borrowers]
        self.staff_id.choices = [SelectChoice("", _l("No staff member"))] + [SelectChoice(user.id, user.name) for user in staff]


class LogForm(FlaskForm):
    held = RadioField(_l("The visit was"), choices=[SelectChoice("held", _l("Held")), SelectChoice("missed", _l("Missed"))], validators=[InputRequired(message=_l("Say whether the visit was held or missed."))])
    device_checked = RadioField(_l("Device checked"), choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))], validate_choice=False)
    outcome = StringField(_l("Outcome"), filters=[_strip], description=_l("One line: how it went, what is to follow."))
    taken_tags = StringField(_l("Items taken to the borrower"), filters=[_strip], description=_l("Their tags, separated by commas, for example BN-00012, BN-00013."))
    taken_note = StringField(_l("Other things taken"), filters=[_strip], description=_l("Books, leaflets and other things without a tag."))
    returned_tags = StringField(_l("Items brought back"), filters=[_strip], description=_l("Their tags, separated by commas."))
    returned_note = StringField(_l("Other things brought back"), filters=[_strip])

    def visit_log(self) -> VisitLog:
        return VisitLog(
            held=self.held.data == "held",
            device_checked={"yes": True, "no": False}.get(self.device_checked.data),
            outcome=self.outcome.data or "",
            taken_tags=tags_of(self.taken_tags.data or ""),
            returned_tags=tags_of(self.returned_tags.data or ""),
            taken_note=self.taken_note.data or "",
            returned_note=self.returned_note.data or "",
            served={group.value: getattr(self, f"served_{group.value}").data or 0 for group in TargetGroup},
        )


for _group in TargetGroup:
    setattr(LogForm, f"served_{_group.value}", CountField(VISITOR_LABELS[_group.value]))
del _group
