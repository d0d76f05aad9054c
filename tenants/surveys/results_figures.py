"""The surveys' figures in the core's registry (`bibnet.figures`), for the funding reports and the usage pages:
counts only. A response counts on the day it came in (`received_on`, the library's local day); per outcome area,
the responses that rated at least one of its statements. Across tenants the core shows counts of 1 to 4 as "<5"."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.figures import COUNT, Figure, FigureSource
from bibnet.tenants.surveys.models import Outcome, SurveyAnswer, SurveyItem, SurveyResponse

RESPONSES = "surveys.responses"
AREA_LABELS = {
    Outcome.KNOWLEDGE: _l("Survey responses on knowledge"),
    Outcome.CONFIDENCE: _l("Survey responses on confidence"),
    Outcome.APPLICATION: _l("Survey responses on application"),
    Outcome.AWARENESS: _l("Survey responses on awareness"),
    Outcome.WELLBEING: _l("Survey responses on wellbeing"),
}


def area_key(outcome: Outcome) -> str:
    return f"surveys.responses.{outcome.value}"


def compute(tenants, first, last) -> dict[int, dict[str, int]]:
    """One statement whatever the number of tenants: responses per tenant, and per tenant and area (the rows
    with an area)."""
    tenant_ids = [tenant.id for tenant in tenants]
    in_period = (SurveyResponse.tenant_id.in_(tenant_ids), SurveyResponse.received_on.between(first, last))
    per_tenant = sa.select(SurveyResponse.tenant_id, sa.null(), sa.func.count(SurveyResponse.id)).where(*in_period).group_by(SurveyResponse.tenant_id)
    per_area = (
        sa.select(SurveyResponse.tenant_id, SurveyItem.outcome, sa.func.count(sa.distinct(SurveyResponse.id)))
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(*in_period, SurveyAnswer.value.is_not(None))
        .group_by(SurveyResponse.tenant_id, SurveyItem.outcome)
    )
    values: dict[int, dict[str, int]] = {tenant_id: {} for tenant_id in tenant_ids}
    for tenant_id, outcome, count in db.session.execute(sa.union_all(per_tenant, per_area)):
        values[tenant_id][RESPONSES if outcome is None else area_key(Outcome(outcome))] = count
    return values


SOURCE = FigureSource(
    name="surveys",
    figures=(
        Figure(RESPONSES, _l("Survey responses received"), _l("responses"), kind=COUNT, order=45),
        *(Figure(area_key(outcome), AREA_LABELS[outcome], _l("responses"), kind=COUNT, order=46) for outcome in Outcome),
    ),
    compute=compute,
)
