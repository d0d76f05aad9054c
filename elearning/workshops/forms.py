"""The workshop forms: what was held (date, course or module, facilitator, place), and who attended with their
paper quiz scores. The attendance part is built per request: one checkbox and one score field per member of
the library's staff."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from bibnet.web.fields import LocalDateField, SelectField, WholeNumberField


class _Attendees(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def score_field_name(user_id: int) -> str:
    return f"score_{user_id}"


def workshop_form(people: list[tuple[int, str]], courses=None, modules=None, **kwargs) -> FlaskForm:
    """The whole form (`courses` and `modules` given: recording a workshop) or its attendance part only."""

    class WorkshopForm(FlaskForm):
        pass

    if courses is not None:
        WorkshopForm.held_on = LocalDateField(_l("Date of the workshop"))
        WorkshopForm.course = SelectField(_l("Course"), coerce=int, validate_choice=False, choices=[SelectChoice(0, _l("Choose a course")), *(SelectChoice(v, label) for v, label in courses)])
        WorkshopForm.module = SelectField(
            _l("What it covered"), coerce=int, validate_choice=False,
            choices=[SelectChoice(0, _l("The whole course")), *(SelectChoice(v, label) for v, label in modules)],
            description=_l("Its lessons are recorded as done for every attendee, as if they had studied them online."),
        )
        WorkshopForm.facilitator = StringField(_l("Facilitator"), filters=[_strip], description=_l("The name of the person who led it."))
        WorkshopForm.place = StringField(_l("Place (optional)"), filters=[_strip])
    WorkshopForm.attendees = _Attendees(_l("Who attended"), coerce=int, validate_choice=False, choices=[SelectChoice(v, name) for v, name in people])
    for user_id, name in people:
        setattr(WorkshopForm, score_field_name(user_id), WholeNumberField(_l("Quiz score of %(name)s, in percent (optional)", name=name), minimum=0, maximum=100))
    return WorkshopForm(**kwargs)
