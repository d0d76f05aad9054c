"""Forms of the surveys' pages. The answer forms are built per survey (one field per statement); the rules (a
value on the scale, a code of the right length, one subject per run) are the services', for pages and API."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice

from bibnet.tenants.surveys.labels import DONT_KNOW, PHASE_LABELS, SCALE_LABELS, TIMING_LABELS
from bibnet.tenants.surveys.models import Phase, Timing
from bibnet.web.fields import LocalDateField, SelectField, WholeNumberField, parse_whole_number
from bibnet.web.public_forms import PublicForm

# The answer "don't know" as a form sends it; stored as no value.
DONT_KNOW_VALUE = "dk"
OFF_SCALE = -1


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _whole_or_none(value):
    return value if isinstance(value, int) else parse_whole_number(value)


def scale_value(text) -> int | None:
    """An answer as sent: 1..5; None for "don't know" or nothing; anything else is off the scale (refused)."""
    if text is None or isinstance(text, int):
        return text
    text = str(text).strip().casefold()
    if text in ("", DONT_KNOW_VALUE, "?", "x", "0"):
        return None
    return int(text) if text.isdigit() and len(text) < 4 else OFF_SCALE


class TemplateForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], description=_l("For example: Sensory room – wellbeing."))


def template_form(items, **kwargs) -> TemplateForm:
    """The template form with a position field per bank item: a number puts the statement in the survey."""
    fields = {f"position_{item.id}": WholeNumberField(_l("Position"), minimum=1, maximum=99) for item in items}
    return type("BankTemplateForm", (TemplateForm,), fields)(**kwargs)


class RunForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], description=_l("For example: Sensory room, spring – before."))
    template_id = SelectField(_l("Survey"), coerce=_whole_or_none, validate_choice=False)
    subject = RadioField(_l("About"), choices=[SelectChoice("programme", _l("A programme")), SelectChoice("room", _l("A sensory room")), SelectChoice("course", _l("A course"))], validate_choice=False)
    programme_id = SelectField(_l("Programme"), coerce=_whole_or_none, validate_choice=False)
    room_id = SelectField(_l("Room"), coerce=_whole_or_none, validate_choice=False)
    course_id = SelectField(_l("Course"), coerce=_whole_or_none, validate_choice=False)
    timing = RadioField(_l("When"), choices=[SelectChoice(timing.value, label) for timing, label in TIMING_LABELS.items()], default=Timing.IMMEDIATE.value)
    phase = RadioField(_l("Before and after"), choices=[SelectChoice(phase.value, label) for phase, label in PHASE_LABELS.items()], default=Phase.SINGLE.value,
                       description=_l("A \"before\" run is compared with the \"after\" run that names it."))
    before_run_id = SelectField(_l("The \"before\" run"), coerce=_whole_or_none, validate_choice=False, description=_l("Only for an \"after\" run."))
    matched = BooleanField(_l("Ask each participant for a code of their own, to match their before and after answers"))
    opens_on = LocalDateField(_l("Opens on"))
    closes_on = LocalDateField(_l("Closes on"))

    def __init__(self, *args, templates=(), programmes=(), rooms=(), courses=(), befores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.template_id.choices = [SelectChoice("", _l("Choose a survey"))] + [SelectChoice(template.id, template.name) for template in templates]
        self.programme_id.choices = [SelectChoice("", _l("No programme"))] + [SelectChoice(value, label) for value, label in programmes]
        self.room_id.choices = [SelectChoice("", _l("No room"))] + [SelectChoice(room.id, room.name) for room in rooms]
        self.course_id.choices = [SelectChoice("", _l("No course"))] + [SelectChoice(value, label) for value, label in courses]
        self.before_run_id.choices = [SelectChoice("", _l("None"))] + [SelectChoice(run.id, run.title) for run in befores]


class AnswerForm(PublicForm):
    match_code = StringField(_l("Your own code (if you wish)"), filters=[_strip], render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"})


def answer_form(items, labels: dict[int, str], **kwargs) -> AnswerForm:
    """The public answer form: a five-point scale with "don't know" per statement, labelled in the chosen form."""
    choices = [SelectChoice(str(value), label) for value, label in SCALE_LABELS.items()] + [SelectChoice(DONT_KNOW_VALUE, DONT_KNOW)]
    fields = {f"answers_{item.id}": RadioField(labels[item.id], choices=choices, validate_choice=False) for item in items}
    return type("SurveyAnswerForm", (AnswerForm,), fields)(**kwargs)


class EntryForm(FlaskForm):
    received_on = LocalDateField(_l("Day the form was filled in"))
    match_code = StringField(_l("The participant's code"), filters=[_strip], description=_l("As written on the form; leave it empty when there is none."),
                             render_kw={"autocomplete": "off", "spellcheck": "false"})


def entry_form(items, labels: dict[int, str], **kwargs) -> EntryForm:
    """The staff's typing-in form: one short field per statement (1–5; empty or ? for "don't know")."""
    fields = {
        f"answers_{item.id}": StringField(labels[item.id], filters=[_strip], render_kw={"inputmode": "numeric", "autocomplete": "off", "size": 3, "maxlength": 3})
        for item in items
    }
    return type("SurveyEntryForm", (EntryForm,), fields)(**kwargs)
