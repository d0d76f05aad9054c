"""Forms of the expenditure pages. They check what a field can know alone (typed, present); the rules of an
item (limits, dates within the project, duplicates...) are checked by `services`, for pages, API and import alike."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, StopValidation

from bibnet.imports.forms import ColumnMappingForm, import_file_field
from bibnet.tenants.budgets.labels import CATEGORY_LABELS
from bibnet.tenants.budgets.models import CostCategory
from bibnet.tenants.expenditure import importing
from bibnet.tenants.expenditure.labels import FIELD_LABELS, STATUS_LABELS
from bibnet.tenants.expenditure.services import ExpenditureInput
from bibnet.web.fields import AmountField, LocalDateField, SelectField, format_local_date, parse_amount, parse_whole_number


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def period_choices(project, empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [
        SelectChoice(str(period.number), _("Period %(number)d (%(first)s – %(last)s)", number=period.number, first=format_local_date(period.starts_on), last=format_local_date(period.ends_on)))
        for period in project.reporting_periods
    ]


def category_choices(empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(category.value, label) for category, label in CATEGORY_LABELS.items()]


class RateField(AmountField):
    """Units of a currency per euro, with up to six decimals (checked by the services)."""

    def parse(self, text):
        return parse_amount(text)

    def invalid_message(self):
        return _("Enter the rate as a number, like 11.4615.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.normalize():f}"


class ExpenditureForm(FlaskForm):
    # Unknown values are the services' to refuse, with the same message as in the API and the import.
    period_number = SelectField(_l("Reporting period"), validators=[InputRequired(message=_l("Choose the reporting period."))], validate_choice=False)
    category = SelectField(_l("Cost category"), validators=[InputRequired(message=_l("Choose the cost category."))], validate_choice=False)
    supplier = StringField(_l("Supplier"), filters=[_strip], validators=[InputRequired(message=_l("Enter the supplier."))], description=_l("The company or person who issued the invoice."))
    invoice_number = StringField(_l("Invoice number"), filters=[_strip], description=_l("As on the invoice, at most 30 characters. Leave it empty for costs without an invoice, like salaries."))
    invoice_date = LocalDateField(_l("Invoice date"), required_message=_l("Enter the invoice date."))
    payment_date = LocalDateField(_l("Payment date"))
    internal_reference = StringField(_l("Internal reference"), filters=[_strip], description=_l("The reference in your accounting system, at most 30 characters."))
    procurement_reference = StringField(_l("Procurement reference"), filters=[_strip], description=_l("The procurement or contract this purchase belongs to, if any."))
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[InputRequired(message=_l("Describe what was bought."))], render_kw={"rows": 3})
    comment = TextAreaField(_l("Comment"), filters=[_strip], description=_l("Anything the project lead should know about this item."), render_kw={"rows": 2})
    invoice_total = AmountField(_l("Invoice total"), required_message=_l("Enter the invoice total."), description=_l("Including VAT. A credit note is negative, like -121.00."))
    vat = AmountField(_l("VAT"), description=_l("The VAT on the invoice, if any."))
    declared_amount = AmountField(_l("Declared amount"), description=_l("The part of the invoice claimed in this project. Leave it empty to declare the whole invoice total."))
    currency = StringField(_l("Currency"), default="EUR", filters=[_upper], description=_l("EUR, or another currency's three-letter ISO code, like SEK."), render_kw={"size": 4, "autocomplete": "off", "spellcheck": "false"})
    conversion_rate = RateField(_l("Rate to the euro"), description=_l("Only for another currency: its units per euro (the Commission's InforEuro rate), like 11.4615."))

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_number.choices = period_choices(project, _l("Choose a period"))
        self.category.choices = category_choices(_l("Choose a category"))

    def fill(self, expenditure) -> None:
        for name in ("supplier", "invoice_number", "invoice_date", "payment_date", "internal_reference", "procurement_reference", "description", "comment", "invoice_total", "vat", "declared_amount", "currency", "conversion_rate"):
            getattr(self, name).data = getattr(expenditure, name)
        self.invoice_number.data = expenditure.invoice_number or ""
        self.period_number.data = str(expenditure.period_number)
        self.category.data = expenditure.category.value

    def to_input(self) -> ExpenditureInput:
        period = self.period_number.data or ""
        return ExpenditureInput(
            period_number=parse_whole_number(period) or 0,
            category=self.category.data or "",
            invoice_date=self.invoice_date.data,
            payment_date=self.payment_date.data,
            supplier=self.supplier.data or "",
            invoice_number=self.invoice_number.data or None,
            internal_reference=self.internal_reference.data or "",
            procurement_reference=self.procurement_reference.data or "",
            description=self.description.data or "",
            comment=self.comment.data or "",
            invoice_total=self.invoice_total.data,
            vat=self.vat.data,
            declared_amount=self.declared_amount.data if self.declared_amount.data is not None else self.invoice_total.data,
            currency=self.currency.data or "EUR",
            conversion_rate=self.conversion_rate.data,
        )


class _GetForm(FlaskForm):
    """Filters: sent with GET, no CSRF token, their values in the URL."""

    class Meta:
        csrf = False


class FilterForm(_GetForm):
    period = SelectField(_l("Reporting period"), validate_choice=False)
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Any status"))] + [SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()], validate_choice=False)
    category = SelectField(_l("Cost category"), validate_choice=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = period_choices(project, _l("Every period"))
        self.category.choices = category_choices(_l("Every category"))

    @property
    def period_number(self) -> int | None:
        return parse_whole_number(self.period.data)

    @property
    def chosen_category(self) -> CostCategory | None:
        return CostCategory(self.category.data) if self.category.data in CostCategory._value2member_map_ else None


class RejectForm(FlaskForm):
    comment = TextAreaField(
        _l("Why is the item rejected?"),
        filters=[_strip],
        validators=[InputRequired(message=_l("Say why the item is rejected: the partner reads it."))],
        description=_l("The partner sees this comment and can correct the item and submit it again."),
        render_kw={"rows": 4, "maxlength": 500},
    )


class SubmitPeriodForm(FlaskForm):
    period = SelectField(_l("Reporting period"), validators=[InputRequired(message=_l("Choose the reporting period."))], validate_choice=False)

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = period_choices(project, _l("Choose a period"))


class AttachmentForm(FlaskForm):
    files = MultipleFileField(_l("Files"))

    def validate_files(self, field):
        if not [upload for upload in field.data or () if upload and upload.filename]:
            raise StopValidation(_("Choose at least one file to attach."))


class SettingsForm(FlaskForm):
    staff_may_draft = BooleanField(_l("Staff may draft expenditure"), description=_l("Library staff can then enter and correct draft items and attach files; only a coordinator submits them."))


class ImportUploadForm(FlaskForm):
    file = import_file_field(_l("Export of your accounting system"))


class MappingForm(ColumnMappingForm.with_fields("_ExpenditureColumns", FIELD_LABELS, importing.REQUIRED, importing.FIELDS)):
    """Which column of the file holds each of our fields, and the values set once for every row."""

    EXTRA_CHOICES = ("default_period_number", "default_category")

    default_period_number = SelectField(
        _l("Reporting period of every row"),
        validate_choice=False,
        description=_l("Optional. Fills the rows whose period cell is empty, or every row when no column holds the period."),
    )
    default_category = SelectField(
        _l("Cost category of every row"),
        validate_choice=False,
        description=_l("Optional. Fills the rows whose category cell is empty, or every row when no column holds the category."),
    )

    def __init__(self, *args, header=(), periods=(), **kwargs):
        super().__init__(*args, header=header, **kwargs)
        self.default_period_number.choices = [SelectChoice("", _l("From the file"))] + [
            SelectChoice(str(period.number), _l("Period %(number)d", number=period.number)) for period in periods
        ]
        self.default_category.choices = [SelectChoice("", _l("From the file"))] + [SelectChoice(code, label) for code, label in importing.category_choices()]

    def defaults(self) -> dict:
        """The values set once for every row; an unknown one is refused by the services like a bad cell."""
        period = parse_whole_number(self.default_period_number.data or "")
        return {"period_number": period, "category": self.default_category.data or None}

