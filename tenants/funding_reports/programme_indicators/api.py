"""API: a project's programme indicators, for its lead or an admin: the indicators with their values of a
reporting period (`GET …/indicators`, the current period; `GET …/indicators/periods/<n>`), the whole set
replaced (`PUT …/indicators`: by code; those left out are removed, softly) and the typed values of the indicators
measured by hand in one period (`PUT …/indicators/periods/<n>`). Evidence files are attached on the pages.

Numbers are decimal strings with two decimals ("300.00"). Refusals are the core's 422 problem+json with the field
errors placed as in the request body (`indicators.0.code`, `values.RCO115`); nothing is written then.
"""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from bibnet.access import require
from bibnet.api.schemas import DecimalString
from bibnet.extensions import db
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.funding_reports.dashboards import chosen_period, project_zone
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.models import Measurement
from bibnet.tenants.funding_reports.report import period_of

blp = Blueprint("api_programme_indicators", __name__, url_prefix="/api/v1/projects", description="A project's programme indicators, for its lead")

NUMBER_MESSAGE = _l("Enter a number with at most two decimals, like 12 or 12.50.")


class EvidenceSchema(Schema):
    id = fields.Integer()
    description = fields.String()
    filename = fields.String()


class IndicatorSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(max=20), metadata={"example": "RCO81"})
    name = fields.String(required=True, validate=validate.Length(max=200))
    unit = fields.String(required=True, validate=validate.Length(max=60))
    baseline = DecimalString(load_default=None, invalid=NUMBER_MESSAGE)
    target = DecimalString(required=True, invalid=NUMBER_MESSAGE)
    whole_numbers = fields.Boolean(load_default=True)
    measurement = fields.String(required=True, validate=validate.OneOf([m.value for m in Measurement], error=_l("Choose fed or manual.")), metadata={"enum": [m.value for m in Measurement]})
    figure_keys = fields.List(fields.String(validate=validate.Length(max=100)), load_default=list, validate=validate.Length(max=20), metadata={"description": "FED: the registered figures summed; empty: those that name the code"})
    previously_reported = DecimalString(dump_only=True)
    this_report = DecimalString(dump_only=True)
    cumulative = DecimalString(dump_only=True)
    percent_of_target = DecimalString(dump_only=True, allow_none=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), dump_only=True)


class IndicatorsSchema(Schema):
    period = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "The reporting period of the values; null when the project has none"})
    indicators = fields.List(fields.Nested(IndicatorSchema), required=True, validate=validate.Length(max=100))


class ValuesSchema(Schema):
    values = fields.Dict(
        keys=fields.String(validate=validate.Length(max=20)), values=DecimalString(allow_none=True, invalid=NUMBER_MESSAGE), required=True,
        metadata={"description": "By indicator code, the value typed for the period (null clears it); only indicators measured by hand"},
    )


def _listed(project: Project, period: ReportingPeriod | None) -> dict:
    indicators = services.indicators_of(project)
    rows = {row.indicator.id: row for row in services.rows_of(project, period, indicators)} if period is not None else {}
    listed = []
    for indicator in indicators:
        row = rows.get(indicator.id)
        listed.append({
            "code": indicator.code, "name": indicator.name, "unit": indicator.unit, "baseline": indicator.baseline, "target": indicator.target,
            "whole_numbers": indicator.whole_numbers, "measurement": indicator.measurement.value, "figure_keys": list(indicator.figure_keys or []),
            "previously_reported": row.previously if row else services.ZERO, "this_report": row.this_report if row else services.ZERO,
            "cumulative": row.cumulative if row else services.ZERO, "percent_of_target": row.percent_of_target if row else None,
            "evidence": [{"id": item.id, "description": item.description, "filename": item.filename} for item in row.evidence] if row else [],
        })
    return {"period": period.number if period is not None else None, "indicators": listed}


def _current_period(project: Project) -> ReportingPeriod | None:
    number, _error = chosen_period(project, project_zone(project))
    return period_of(project, number)


@blp.route("/<int:project_id>/indicators")
@require("project.lead")
@blp.response(200, IndicatorsSchema)
def get_indicators(project):
    """The project's programme indicators with their values in the current reporting period"""
    return _listed(project, _current_period(project))


@blp.route("/<int:project_id>/indicators", methods=["PUT"])
@require("project.lead")
@blp.arguments(IndicatorsSchema)
@blp.response(200, IndicatorsSchema)
def put_indicators(data, project):
    """Replace the project's indicators (matched by code; those left out are removed, kept in the audit log). All checked before any is written"""
    typed = [
        services.IndicatorInput(
            item["code"], item["name"], item["unit"], item["baseline"] if item["baseline"] is not None else services.ZERO, item["target"],
            item["measurement"], tuple(item["figure_keys"]), item["whole_numbers"],
        )
        for item in data["indicators"]
    ]
    services.replace_all(project, typed, current_user)
    db.session.commit()
    return _listed(project, _current_period(project))


@blp.route("/<int:project_id>/indicators/periods/<int:indicator_period>")
@require("project.lead")
@blp.response(200, IndicatorsSchema)
def get_period(project, period):
    """The project's programme indicators with their values in one reporting period"""
    return _listed(project, period)


@blp.route("/<int:project_id>/indicators/periods/<int:indicator_period>", methods=["PUT"])
@require("project.lead")
@blp.arguments(ValuesSchema)
@blp.response(200, IndicatorsSchema)
def put_period(data, project, period):
    """Set the values typed by hand for the period (indicators measured by hand only); all or none"""
    services.set_values(project, period, {code.strip().upper(): value for code, value in data["values"].items()})
    db.session.commit()
    return _listed(project, period)
