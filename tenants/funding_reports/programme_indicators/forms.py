"""Forms of the programme indicators' pages. They only read what was typed; the rules are in `services.py`,
whose field errors `bibnet.web.forms.show_refusal` puts next to these fields (same names)."""
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from bibnet import figures
from bibnet.tenants.funding_reports.programme_indicators.models import Measurement
from bibnet.tenants.funding_reports.programme_indicators.services import IndicatorInput
from bibnet.web.fields import _TypedField, parse_amount, without_negative_zero


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NumberField(_TypedField):
    """A number typed by hand (12, 12,5 or 1 234): read like an amount, refused when it is no number."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"autocomplete": "off", "inputmode": "decimal", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)

    def parse(self, text):
        return without_negative_zero(parse_amount(text))

    def invalid_message(self):
        return _("Enter a number, for example 12 or 12.5.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return str(int(self.data)) if self.data == self.data.to_integral_value() else f"{self.data:.2f}"


class CheckboxGroupField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


MEASUREMENT_LABELS = {
    Measurement.FED: _l("Fed from BibNet's figures, summed over the partners"),
    Measurement.MANUAL: _l("Entered by hand for each reporting period, with evidence"),
}


def figure_choices() -> list[SelectChoice]:
    return [SelectChoice(figure.key, f"{figure.label} ({figure.key})") for figure in figures.registered() if figure.kind != figures.MONEY]


class IndicatorForm(FlaskForm):
    code = StringField(_l("Code"), filters=[_strip], description=_l("As the programme names it, for example RCO81."))
    name = StringField(_l("Name"), filters=[_strip], description=_l("As the programme names it; Jems's common indicators are in English."))
    unit = StringField(_l("Unit of measurement"), filters=[_strip], description=_l("For example participations, organisations, events."))
    baseline = NumberField(_l("Baseline"), description=_l("0 if there is none."), default=Decimal("0"))
    target = NumberField(_l("Target"), description=_l("What the project promised by its end."))
    whole_numbers = BooleanField(_l("Counted in whole units"), default=True, description=_l("Untick for a unit with decimals, such as hours."))
    measurement = RadioField(_l("How it is measured"), choices=[SelectChoice(value.value, label) for value, label in MEASUREMENT_LABELS.items()], default=Measurement.FED.value)
    figure_keys = CheckboxGroupField(
        _l("Figures it sums"), validate_choice=False,
        description=_l("Leave all unticked to sum the figures that name this indicator's code."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_keys.choices = figure_choices()

    def data_input(self) -> IndicatorInput:
        return IndicatorInput(
            self.code.data or "", self.name.data or "", self.unit.data or "", self.baseline.data, self.target.data,
            self.measurement.data or "", tuple(self.figure_keys.data or ()), bool(self.whole_numbers.data),
        )


class CommonForm(FlaskForm):
    codes = CheckboxGroupField(_l("Indicators to add"), validate_choice=False, choices=[SelectChoice(code, f"{code} {name}") for code, (name, _unit) in figures.PROGRAMME_INDICATORS.items()])


class ValueForm(FlaskForm):
    value = NumberField(_l("Value in this reporting period"), description=_l("Leave it empty to clear the value."))


class EvidenceForm(FlaskForm):
    file = FileField(_l("File"), description=_l("A PDF, an image or an office document."))
    description = StringField(_l("What the file shows"), filters=[_strip], description=_l("For example: the signed attendance list of the joint conference."))


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
