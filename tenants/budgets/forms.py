"""Forms of the budget pages: the finance setup (fund, periods, sources), budget lines and approvals.

Forms only read what was typed; the rules live in `finance.py` and `versions.py`, whose field errors are put
next to the fields by `bibnet.web.forms.show_refusal`. Rows (periods, sources, period amounts) are flat fields named
`periods_0_starts_on`, so the shared error summary links to each of them.
"""
from decimal import Decimal
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from bibnet.tenants.budgets.cofinancing import spread
from bibnet.tenants.budgets.finance import MAX_SOURCES, PeriodInput, SetupInput, SourceInput
from bibnet.tenants.budgets.labels import CATEGORY_LABELS, LEGAL_STATUS_LABELS, SOURCE_KIND_LABELS
from bibnet.tenants.budgets.models import CostCategory, LegalStatus, SourceKind
from bibnet.tenants.budgets.versions import LineInput
from bibnet.web.fields import AmountField, LocalDateField, SelectField
from bibnet.web.forms import has_errors

EVEN, BY_AMOUNTS = "even", "amounts"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SetupForm(FlaskForm):
    fund_name = StringField(_l("Fund"), filters=[_strip], validators=[InputRequired(message=_l("Enter the fund's name, for example ERDF."))], description=_l("The programme's fund, for example ERDF."))
    fund_rate = AmountField(_l("Co-financing rate of the fund, in per cent"), required_message=_l("Enter the rate, for example 80."), description=_l("Above 0 and at most 100, for example 80. Each partner's fund share is its total × this rate, rounded down to the cent."))
    office_flat_rate = AmountField(_l("Office and administration flat rate, in per cent of staff costs"), description=_l("Optional, at most 15. Leave it empty to plan office costs as budget lines."))

    def data_input(self) -> SetupInput:
        return SetupInput(self.fund_name.data or "", self.fund_rate.data, self.office_flat_rate.data)


class PeriodsForm(FlaskForm):
    """One row per period, and empty rows to add more; clearing the last rows removes those periods."""

    count: int

    def rows(self) -> list[tuple]:
        return [(self[f"periods_{index}_starts_on"], self[f"periods_{index}_ends_on"]) for index in range(self.count)]

    def fill(self, periods) -> None:
        for (starts_on, ends_on), period in zip(self.rows(), periods, strict=False):
            starts_on.data, ends_on.data = period.starts_on, period.ends_on

    def periods(self) -> list[PeriodInput] | None:
        """The periods typed in; None (with messages on the fields) when a row is half filled, or empty before a filled one."""
        rows = self.rows()
        filled = [index for index, (starts_on, ends_on) in enumerate(rows) if starts_on.data or ends_on.data]
        last = filled[-1] if filled else -1
        valid = True
        for starts_on, ends_on in rows[: last + 1]:
            for date_field, other in ((starts_on, ends_on), (ends_on, starts_on)):
                if date_field.data is None and not date_field.errors:
                    date_field.errors = [_l("Enter both days of the period, or clear this period and every later one to remove them.")] if other.data else [_l("Enter the days of this period: periods follow each other without gaps.")]
            valid = valid and not (starts_on.errors or ends_on.errors)
        if not valid or has_errors(self):
            return None
        return [PeriodInput(starts_on.data, ends_on.data) for starts_on, ends_on in rows[: last + 1]]


def periods_form(existing: int, **kwargs) -> PeriodsForm:
    """The form for `existing` periods and two empty rows to add periods."""
    count = existing + 2
    fields = {"count": count}
    for index in range(count):
        fields[f"periods_{index}_starts_on"] = LocalDateField(_l("First day"))
        fields[f"periods_{index}_ends_on"] = LocalDateField(_l("Last day"))
    return type(f"PeriodsFormOf{count}", (PeriodsForm,), fields)(**kwargs)


class SourcesForm(FlaskForm):
    """The partner's sources in order; rows left empty are dropped; the last one takes the remainder."""

    count: int

    def rows(self) -> list[tuple]:
        return [tuple(self[f"sources_{index}_{name}"] for name in ("name", "legal_status", "kind", "value")) for index in range(self.count)]

    def fill(self, sources) -> None:
        for (name, legal_status, kind, value), source in zip(self.rows(), sources, strict=False):
            name.data, legal_status.data, value.data = source.name, source.legal_status.value, source.value
            kind.data = source.kind.value if source.kind is not SourceKind.REMAINDER else SourceKind.PERCENTAGE.value

    def sources(self) -> list[SourceInput]:
        return [
            SourceInput(name.data or "", LegalStatus(legal_status.data), SourceKind(kind.data), value.data)
            for name, legal_status, kind, value in self.rows()
            if (name.data or "").strip() or value.data is not None
        ]

    def renumbering(self, errors: dict[str, list]) -> dict[str, str]:
        """Errors name the sources kept; the paths of the rows typed (empty rows are skipped), for `show_refusal`."""
        kept = [index for index, (name, _, _, value) in enumerate(self.rows()) if (name.data or "").strip() or value.data is not None]
        renamed = {}
        for path in errors:
            parts = path.split(".")
            if len(parts) == 3 and parts[0] == "sources" and int(parts[1]) < len(kept):
                renamed[path] = f"sources.{kept[int(parts[1])]}.{parts[2]}"
        return renamed


def sources_form(existing: int, **kwargs) -> SourcesForm:
    count = min(max(existing + 2, 3), MAX_SOURCES)
    fields = {"count": count}
    for index in range(count):
        fields[f"sources_{index}_name"] = StringField(_l("Name"), filters=[_strip])
        fields[f"sources_{index}_legal_status"] = SelectField(_l("Legal status"), choices=[SelectChoice(status.value, label) for status, label in LEGAL_STATUS_LABELS.items()], default=LegalStatus.PUBLIC.value)
        fields[f"sources_{index}_kind"] = SelectField(
            _l("Given as"), choices=[SelectChoice(kind.value, SOURCE_KIND_LABELS[kind]) for kind in (SourceKind.PERCENTAGE, SourceKind.AMOUNT)], default=SourceKind.PERCENTAGE.value
        )
        fields[f"sources_{index}_value"] = AmountField(_l("Percentage or amount"))
    return type(f"SourcesFormOf{count}", (SourcesForm,), fields)(**kwargs)


class LineForm(FlaskForm):
    category = SelectField(_l("Cost category"), choices=[SelectChoice(category.value, label) for category, label in CATEGORY_LABELS.items()])
    description = StringField(_l("Description"), filters=[_strip], validators=[InputRequired(message=_l("Describe the budget line."))], description=_l("What the money is for, for example “Sensory room equipment”."))
    unit_type = StringField(_l("Unit type"), filters=[_strip], description=_l("Optional, for example “month” or “set”."))
    units = AmountField(_l("Number of units"), required_message=_l("Enter a number of units above 0, with at most two decimals."), description=_l("Above 0, at most two decimals."))
    unit_price = AmountField(_l("Price per unit (EUR)"), required_message=_l("Enter an amount of 0 or more, with at most two decimals."), description=_l("The total is units × price, rounded down to the cent."))
    split = RadioField(
        _l("Spread over the reporting periods"),
        choices=[SelectChoice(EVEN, _l("Evenly; the last period takes the remaining cents")), SelectChoice(BY_AMOUNTS, _l("By amounts I give; the last period takes the rest"))],
        default=EVEN,
    )
    count: int
    open_numbers: list[int]  # the periods the line may plan: all of them, or a modification's open ones

    def period_fields(self) -> list:
        return [self[f"periods_{number - 1}"] for number in self.open_numbers[:-1]]

    def fill(self, line) -> None:
        self.category.data, self.description.data, self.unit_type.data = line.category.value, line.description, line.unit_type
        self.units.data, self.unit_price.data = line.units, line.unit_price
        amounts = {part.period_number: part.amount for part in line.periods}
        for field, number in zip(self.period_fields(), self.open_numbers, strict=False):
            field.data = amounts.get(number)
        open_amounts = [amounts.get(number) for number in self.open_numbers]
        rest = sum((amount for amount in open_amounts if amount is not None), Decimal("0.00"))
        even = bool(open_amounts) and None not in open_amounts and open_amounts == spread(rest, [Fraction(1)] * len(open_amounts))
        self.split.data = EVEN if even else BY_AMOUNTS

    def line_input(self) -> LineInput | None:
        """What was typed; None (with messages on the fields) when a period amount is missing."""
        amounts = None
        if self.split.data == BY_AMOUNTS:
            for field in self.period_fields():
                if field.data is None and not field.errors:
                    field.errors = [_l("Enter an amount for this period, 0 if none.")]
            if has_errors(self):
                return None
            amounts = [field.data for field in self.period_fields()]
        return LineInput(CostCategory(self.category.data), self.description.data or "", self.units.data, self.unit_price.data, self.unit_type.data or "", amounts)


def line_form(periods: list, closed: set[int] = frozenset(), **kwargs) -> LineForm:
    """The line form for the project's periods: an amount for each open one but the last (`closed`: the
    periods a modification leaves as approved, shown but not asked for)."""
    open_numbers = [period.number for period in periods if period.number not in closed]
    fields = {"count": len(periods), "open_numbers": open_numbers}
    for number in open_numbers[:-1]:
        fields[f"periods_{number - 1}"] = AmountField(_l("Period %(number)d", number=number))
    return type(f"LineFormOf{len(periods)}", (LineForm,), fields)(**kwargs)


class ApproveForm(FlaskForm):
    approved_on = LocalDateField(_l("Date of the approval"), required_message=_l("Enter the date of the approval."))
