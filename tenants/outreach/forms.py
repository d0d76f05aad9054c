"""Forms of the services log and the needs estimates. They check what a field can know alone; the rules (a staff
member of the library, a day not in the future, counts in range) are the services', for pages and API alike."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.outreach.labels import KIND_LABELS
from bibnet.tenants.outreach.models import ServiceKind
from bibnet.tenants.outreach.services import MAX_PEOPLE, NeedInput, ServiceInput
from bibnet.web.fields import CountField, LocalDateField, SelectField, WholeNumberField, parse_whole_number


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_or_none(value):
    return value if isinstance(value, int) else parse_whole_number(value)


class ServiceForm(FlaskForm):
    kind = SelectField(_l("Service"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()], default=ServiceKind.HOME_DELIVERY.value)
    given_on = LocalDateField(_l("Day"), required_message=_l("Enter the day the service was given."))
    staff_id = SelectField(_l("Staff member"), coerce=_whole_or_none, validate_choice=False)
    note = StringField(_l("Note"), filters=[_strip], description=_l("One line about the service, for example “12 books, 2 DAISY”; never about a person."))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_id.choices = [SelectChoice("", _l("Choose a staff member"))] + [SelectChoice(user.id, user.name) for user in staff]

    def service_input(self) -> ServiceInput:
        return ServiceInput(
            kind=ServiceKind(self.kind.data), given_on=self.given_on.data, staff_id=self.staff_id.data, note=self.note.data or "",
            served={group.value: getattr(self, f"served_{group.value}").data or 0 for group in TargetGroup},
        )


for _group in TargetGroup:
    setattr(ServiceForm, f"served_{_group.value}", CountField(VISITOR_LABELS[_group.value]))
del _group


class NeedForm(FlaskForm):
    target_group = SelectField(_l("Target group"), choices=[SelectChoice(group.value, VISITOR_LABELS[group.value]) for group in TargetGroup])
    people = WholeNumberField(_l("People who may need the services"), minimum=0, maximum=MAX_PEOPLE, description=_l("A count, never names."))
    source = StringField(_l("Source"), filters=[_strip], description=_l("For example: the social services' list, the statistics office."))
    estimated_on = LocalDateField(_l("Day of the estimate"), required_message=_l("Enter the day of the estimate."))

    def need_input(self) -> NeedInput:
        return NeedInput(target_group=TargetGroup(self.target_group.data), people=self.people.data, source=self.source.data or "", estimated_on=self.estimated_on.data)
