"""API schemas of the finance setup and the partner budget. Money and rates are strings with two decimals
("36281.10", the core's `DecimalString`); more decimals are refused, never rounded. The rules themselves are in
`finance.py` and `versions.py`, so the API refuses for the same reasons, with the same messages, as the pages."""
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from bibnet.api.schemas import Day, DecimalString
from bibnet.tenants.budgets.labels import category_label, jems_label
from bibnet.tenants.budgets.models import CostCategory, LegalStatus, SourceKind


def _one_of(enum_type, message, **kwargs):
    values = [member.value for member in enum_type]
    return fields.String(validate=validate.OneOf(values, error=message), metadata={"enum": values}, **kwargs)


class CostCategorySchema(Schema):
    code = fields.String(metadata={"enum": [category.value for category in CostCategory]})
    label = fields.Function(lambda category: category_label(CostCategory(category["code"])))
    jems_label = fields.Function(lambda category: jems_label(CostCategory(category["code"])), metadata={"description": "Jems's English label"})


class ReportingPeriodSchema(Schema):
    number = fields.Integer(dump_only=True)
    starts_on = Day(required=True)
    ends_on = Day(required=True)


class ContributionSourceSchema(Schema):
    """A source of the partner contribution. Every one but the last is a percentage of the partner total or an
    amount; the last takes the remainder (its kind and value are not used)."""

    position = fields.Integer(dump_only=True)
    name = fields.String(required=True)
    legal_status = _one_of(LegalStatus, _l("Choose public, automatic public or private."), required=True)
    kind = _one_of(SourceKind, _l("Choose a percentage of the partner total or an amount."), load_default=SourceKind.PERCENTAGE.value)
    value = DecimalString(allow_none=True, load_default=None, metadata={"description": "A percentage of the partner total, or an amount in EUR"})


class PartnerContributionSourcesSchema(Schema):
    partner_id = fields.Integer(required=True, strict=True)
    code = fields.String(dump_only=True, metadata={"description": "LP1, PP2, …"})
    tenant = fields.String(dump_only=True, metadata={"description": "The partner tenant's slug"})
    sources = fields.List(fields.Nested(ContributionSourceSchema), required=True)


class FinanceSetupSchema(Schema):
    """A project's finance setup. On PUT, periods and partners left out stay as they are."""

    fund_name = fields.String(required=True)
    fund_rate = DecimalString(required=True, metadata={"description": "% of each partner's total, above 0 and at most 100"})
    office_flat_rate = DecimalString(
        allow_none=True, load_default=None, metadata={"description": "% of staff costs, at most 15; null for office costs planned as lines"}
    )
    categories = fields.List(fields.Nested(CostCategorySchema), dump_only=True)
    periods = fields.List(fields.Nested(ReportingPeriodSchema), metadata={"description": "In order, each starting the day after the one before ends"})
    partners = fields.List(fields.Nested(PartnerContributionSourcesSchema))


class BudgetLinePeriodSchema(Schema):
    period_number = fields.Integer()
    amount = DecimalString()


class BudgetLineSchema(Schema):
    """A budget line: units × unit price, rounded down to the cent, spread over the reporting periods."""

    id = fields.Integer(dump_only=True)
    category = _one_of(CostCategory, _l("Choose one of the six cost categories."), required=True)
    description = fields.String(required=True)
    unit_type = fields.String(load_default="")
    units = DecimalString(required=True)
    unit_price = DecimalString(required=True)
    total = DecimalString(dump_only=True)
    periods = fields.List(fields.Nested(BudgetLinePeriodSchema), dump_only=True)
    period_amounts = fields.List(
        DecimalString(),
        load_only=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "Amounts for every open period but the last open one, which takes the rest; null or left out: spread evenly over the open periods. A modification leaves the periods already reported (ended, or with submitted spending) as approved"},
    )


class BudgetLineChangesSchema(BudgetLineSchema):
    """The fields of a line to change (PATCH): any of them; its periods are planned again."""


class BudgetVersionSchema(Schema):
    number = fields.Integer(metadata={"description": "0 is the original budget"})
    status = fields.String(metadata={"enum": ["draft", "in_force", "replaced"]})
    approved_on = fields.Date(allow_none=True)
    in_force = fields.Boolean()


class BudgetAmountOfSchema(Schema):
    name = fields.String()
    legal_status = fields.String(allow_none=True)
    amount = DecimalString()


class BudgetPlanSchema(Schema):
    """A version's totals and co-financing, each part rounded by the programme's rules (cofinancing.py)."""

    categories = fields.Dict(keys=fields.String(), values=DecimalString())
    periods = fields.List(fields.Nested(BudgetLinePeriodSchema))
    total = DecimalString()
    fund = fields.Nested(BudgetAmountOfSchema)
    contribution = DecimalString()
    sources = fields.List(fields.Nested(BudgetAmountOfSchema))


class BudgetSchema(Schema):
    versions = fields.List(fields.Nested(BudgetVersionSchema))
    in_force = fields.Integer(allow_none=True, metadata={"description": "The number of the version in force"})
    version = fields.Nested(BudgetVersionSchema, allow_none=True, metadata={"description": "The version shown: the one in force unless ?version= names another"})
    lines = fields.List(fields.Nested(BudgetLineSchema))
    plan = fields.Nested(BudgetPlanSchema, allow_none=True)


class BudgetArgs(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=0, max=10_000))


class BudgetApproveSchema(Schema):
    approved_on = Day(required=True)
