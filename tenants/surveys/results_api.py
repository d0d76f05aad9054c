"""API: a survey run's results, suppressed as on its page (see `bibnet.tenants.surveys.results`).

A hidden figure is the string "suppressed", whatever hid it; percentages are decimal strings ("62.5"), a
matched change has two decimals ("1.25"); null: nothing to show (no rating, no before run)."""
from decimal import Decimal

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from bibnet.access import require
from bibnet.tenants.surveys import results
from bibnet.tenants.surveys.models import Outcome, Phase
from bibnet.tenants.surveys.results import SUPPRESSED, Shown

blp = Blueprint("api_surveys_results", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/surveys", description="Results of the impact surveys, small numbers suppressed")


class _OrSuppressed(fields.Field):
    """A count, a decimal string or null, or "suppressed"."""

    def __init__(self, shown_type: str, description: str, **kwargs):
        one_of = [{"type": shown_type, **({"minimum": 0} if shown_type == "integer" else {})}, {"type": "string", "enum": [SUPPRESSED]}]
        super().__init__(required=True, allow_none=True, metadata={"oneOf": one_of, "nullable": True, "description": description}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return str(value) if isinstance(value, Decimal) else value


def _n(description="Responses (n); \"suppressed\" when hidden."):
    return _OrSuppressed("integer", description)


def _percent(description="% agreeing (answers 4-5 over 1-5) with one decimal; null without a rating; \"suppressed\" when hidden."):
    return _OrSuppressed("string", description)


class FigureSchema(Schema):
    n = _n()
    percent_agreeing = _percent()


class ItemResultSchema(FigureSchema):
    key = fields.String(required=True, metadata={"example": "wellbeing.calm"})


class OutcomeResultSchema(FigureSchema):
    outcome = fields.String(required=True, metadata={"enum": [outcome.value for outcome in Outcome]})
    items = fields.List(fields.Nested(ItemResultSchema), required=True)


class ComparisonSchema(Schema):
    outcome = fields.String(required=True, metadata={"enum": [outcome.value for outcome in Outcome]})
    before = fields.Nested(FigureSchema, required=True)
    after = fields.Nested(FigureSchema, required=True)
    change = _percent("After minus before, in percentage points, one decimal; \"suppressed\" when either side is hidden.")
    pairs = _n("Matched pairs; null when the runs are not matched; \"suppressed\" under 5 pairs.")
    matched_change = _percent("Mean change of the pairs' own scores (1-5 scale), two decimals; \"suppressed\" under 5 pairs.")


class ResultsRunSchema(Schema):
    """A run as its results name it (the API's RunSchema is the run to create or change)."""

    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    phase = fields.String(required=True, metadata={"enum": [phase.value for phase in Phase]})
    matched = fields.Boolean(required=True)
    before_run_id = fields.Integer(required=True, allow_none=True)


class RunResultsSchema(Schema):
    run = fields.Nested(ResultsRunSchema, required=True)
    responses = _n()
    outcomes = fields.List(fields.Nested(OutcomeResultSchema), required=True)
    comparisons = fields.List(
        fields.Nested(ComparisonSchema), required=True, allow_none=True, metadata={"description": "For an after run: against its before run; else null."}
    )


def _figure(figure: Shown) -> dict:
    return {"n": figure.n_or_mark(), "percent_agreeing": figure.percent_or_mark()}


def hidden_or(hidden: bool, value):
    return SUPPRESSED if hidden else value


def _comparison(comparison: results.Comparison, matched: bool) -> dict:
    return {
        "outcome": comparison.outcome.value,
        "before": _figure(comparison.before),
        "after": _figure(comparison.after),
        "change": hidden_or(comparison.change_hidden, comparison.change),
        "pairs": hidden_or(comparison.matched_hidden, comparison.pairs) if matched else None,
        "matched_change": hidden_or(comparison.matched_hidden, comparison.matched_change) if matched else None,
    }


@blp.route("/runs/<int:survey_run_id>/results")
@require("surveys.results.view")
@blp.response(200, RunResultsSchema)
def run_results(run):
    """A run's % agreeing per outcome area and statement with n, and for an after run the change against its before run"""
    shown = results.run_results(run)
    return {
        "run": {"id": run.id, "code": run.code, "title": run.title, "phase": run.phase.value, "matched": run.matched, "before_run_id": run.before_run_id},
        "responses": SUPPRESSED if shown.responses_hidden else shown.responses,
        "outcomes": [
            {"outcome": area.outcome.value, **_figure(area.figure), "items": [{"key": item.key, **_figure(item.figure)} for item in area.items]}
            for area in shown.outcomes
        ],
        "comparisons": None if shown.comparisons is None else [_comparison(comparison, run.matched) for comparison in shown.comparisons],
    }
