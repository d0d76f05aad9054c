"""Forms of the maintenance pages. They check what a field can know alone; the rules are the services'."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.web.fields import AmountField, LocalDateField, SelectField, WholeNumberField, parse_whole_number


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_or_none(value):
    """An id as typed, or None: never more than an id column holds (a longer number names nothing)."""
    return value if isinstance(value, int) else parse_whole_number(value)


class ScheduleForm(FlaskForm):
    title = StringField(_l("What is to be done"), filters=[_strip], validators=[InputRequired(message=_l("Say what is to be done, for example “Electrical safety test”."))])
    category_id = SelectField(_l("For every item of the category"), coerce=_whole_or_none, validate_choice=False, description=_l("Leave it empty for this item alone."))
    interval_months = WholeNumberField(_l("Every how many months"), minimum=1, maximum=120, description=_l("Leave it empty for maintenance after each return (cleaning)."))
    first_due_on = LocalDateField(_l("First due on"), description=_l("For a schedule in months: the day the first maintenance is due."))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category_id.choices = [SelectChoice("", _l("This item only"))] + [SelectChoice(category_id, label) for category_id, label in categories]


class RecordForm(FlaskForm):
    done_on = LocalDateField(_l("Done on"), required_message=_l("Enter the day the work was done."))
    work = TextAreaField(_l("What was done"), filters=[_strip], validators=[InputRequired(message=_l("Say what was done."))], render_kw={"rows": 3})
    cost = AmountField(_l("Cost"), description=_l("In euro, VAT included, if there was a cost, like 45.00."))
    supplier = StringField(_l("Supplier"), filters=[_strip], description=_l("The company or person who did it, if not the library."))
