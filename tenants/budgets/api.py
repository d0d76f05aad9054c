"""API: a project's finance setup (its lead or an admin) and a partner's budget (read by its coordinator, the
project lead and admins; drafted by the coordinator; approved by the lead).

Every write goes through `finance.py` or `versions.py` and is committed here on success. Their refusals
(`Refused`) are the core's 422 problem+json with field errors placed as in the request body.
"""
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint, abort
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from bibnet.access import require
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenancy.models import Project
from bibnet.tenants.budgets import finance, versions
from bibnet.tenants.budgets.finance import PeriodInput, SetupInput, SourceInput
from bibnet.tenants.budgets.lookups import version_of_project
from bibnet.tenants.budgets.models import BudgetLine, BudgetVersion, CostCategory, LegalStatus, SourceKind
from bibnet.tenants.budgets.schemas import (
    BudgetApproveSchema,
    BudgetArgs,
    BudgetLineChangesSchema,
    BudgetLineSchema,
    BudgetSchema,
    BudgetVersionSchema,
    FinanceSetupSchema,
)
from bibnet.tenants.budgets.services import setup_of, sources_of, version_in_force, version_plan
from bibnet.tenants.budgets.versions import LineInput

project_blp = Blueprint("api_finance", __name__, url_prefix="/api/v1/projects", description="A project's finance setup, for its lead")
# The project, version and line a URL names are loaded by the core before the body is read (bibnet.loading,
# budgets.lookups): another tenant's or project's is a 404, never a 422 about the body.
blp = Blueprint("api_budget", __name__, url_prefix="/api/v1/tenants/<tenant_slug>/projects/<int:project_id>/budget", description="A partner's budget and its versions")


def _refuse(field: str, message) -> None:
    raise Refused({field: [message]})


# --- the finance setup -----------------------------------------------------------------------------------------


def _finance(project: Project) -> dict:
    setup = setup_of(project)
    sources = finance.sources_by_tenant(project)
    return {
        "fund_name": setup.fund_name,
        "fund_rate": setup.fund_rate,
        "office_flat_rate": setup.office_flat_rate,
        "categories": [{"code": category.value} for category in CostCategory],
        "periods": project.reporting_periods,
        "partners": [
            {"partner_id": partner.id, "code": partner.code, "tenant": partner.tenant.slug, "sources": sources.get(partner.tenant_id, [])}
            for partner in project.partners
        ],
    }


@project_blp.route("/<int:project_id>/finance")
@require("project.lead")
@project_blp.response(200, FinanceSetupSchema)
def get_finance(project):
    """The fund and its rate, the office flat rate, the cost categories, the reporting periods and each partner's sources"""
    return _finance(project)


@project_blp.route("/<int:project_id>/finance", methods=["PUT"])
@require("project.lead")
@project_blp.arguments(FinanceSetupSchema)
@project_blp.response(200, FinanceSetupSchema)
def put_finance(data, project):
    """Set the finance setup; periods and partners left out stay as they are. All of it is checked before any is written"""
    by_id = {partner.id: partner for partner in project.partners}
    sources = {}
    for index, item in enumerate(data.get("partners") or []):
        partner = by_id.get(item["partner_id"])
        if partner is None:
            _refuse(f"partners.{index}.partner_id", _l("This partner is not in the project."))
        sources[partner] = [
            SourceInput(source["name"], LegalStatus(source["legal_status"]), SourceKind(source["kind"]), source["value"]) for source in item["sources"]
        ]
    periods = None if "periods" not in data else [PeriodInput(period["starts_on"], period["ends_on"]) for period in data["periods"]]
    finance.save_finance(project, SetupInput(data["fund_name"], data["fund_rate"], data["office_flat_rate"]), periods, sources)
    db.session.commit()
    return _finance(project)


# --- a partner's budget ----------------------------------------------------------------------------------------


def _version_dump(version: BudgetVersion) -> dict:
    return {"number": version.number, "status": versions.status_of(version).value, "approved_on": version.approved_on, "in_force": version.in_force}


def _plan_dump(project: Project, version: BudgetVersion | None) -> dict | None:
    try:
        plan = version_plan(project, version)
    except Refused:
        return None
    setup = setup_of(project)
    sources = sources_of(project)
    return {
        "categories": {category.value: amount for category, amount in plan.categories.items()},
        "periods": [{"period_number": number, "amount": amount} for number, amount in sorted(plan.periods.items())],
        "total": plan.total,
        "fund": {"name": setup.fund_name, "legal_status": None, "amount": plan.split.fund},
        "contribution": plan.split.contribution,
        "sources": [
            {"name": name, "legal_status": source.legal_status.value if source else None, "amount": amount}
            for name, source, amount in zip(plan.source_names, sources or [None], plan.split.sources, strict=True)
        ],
    }


def _budget(project: Project, version: BudgetVersion | None) -> dict:
    in_force = version_in_force(project)
    lines = []
    if version is not None:
        lines = db.session.scalars(
            sa.select(BudgetLine).where(BudgetLine.version_id == version.id).order_by(BudgetLine.category, BudgetLine.id).options(selectinload(BudgetLine.periods))
        ).all()
    return {
        "versions": [_version_dump(each) for each in versions.versions_of(project)],
        "in_force": in_force.number if in_force else None,
        "version": _version_dump(version) if version else None,
        "lines": [_line_dump(line) for line in lines],
        "plan": _plan_dump(project, version),
    }


def _line_dump(line: BudgetLine) -> dict:
    return {
        "id": line.id, "category": line.category.value, "description": line.description, "unit_type": line.unit_type,
        "units": line.units, "unit_price": line.unit_price, "total": line.total, "periods": line.periods,
    }  # fmt: skip


@blp.route("")
@require("budget.view")
@blp.arguments(BudgetArgs, location="query", as_kwargs=True)
@blp.response(200, BudgetSchema)
def get_budget(project, version):
    """The partner's versions, the one in force (or ?version=N) with its lines and periods, and its co-financing split"""
    shown = version_in_force(project) if version is None else version_of_project(version)
    if shown is None and version is not None:
        abort(404)
    return _budget(project, shown)


@blp.route("/versions", methods=["POST"])
@require("budget.manage")
@blp.response(201, BudgetVersionSchema)
def start_draft(project):
    """Start a draft: the original budget when there is none, else a modification copying the version in force"""
    draft = versions.start_draft(project)
    db.session.commit()
    return _version_dump(draft)


@blp.route("/versions/<int:version_number>", methods=["DELETE"])
@require("budget.manage")
@blp.response(204)
def discard_draft(project, version):
    """Delete a draft that was never approved"""
    versions.discard_draft(version)
    db.session.commit()


@blp.route("/versions/<int:version_number>/lines", methods=["POST"])
@require("budget.manage")
@blp.arguments(BudgetLineSchema)
@blp.response(201, BudgetLineSchema)
def add_line(data, project, version):
    """Add a line to a draft version"""
    line = versions.add_line(project, version, _line_input(data))
    db.session.commit()
    return _line_dump(line)


@blp.route("/lines/<int:line_id>", methods=["PATCH"])
@require("budget.manage")
@blp.arguments(BudgetLineChangesSchema(partial=True))
@blp.response(200, BudgetLineSchema)
def change_line(data, project, line):
    """Change a line of a draft version: only the fields sent change; its periods are planned again"""
    current = {"category": line.category.value, "description": line.description, "unit_type": line.unit_type, "units": line.units, "unit_price": line.unit_price}
    line = versions.change_line(project, line, _line_input({**current, **data}))
    db.session.commit()
    return _line_dump(line)


@blp.route("/lines/<int:line_id>", methods=["DELETE"])
@require("budget.manage")
@blp.response(204)
def remove_line(project, line):
    """Remove a line of a draft version"""
    versions.remove_line(project, line)
    db.session.commit()


@blp.route("/versions/<int:version_number>/approve", methods=["POST"])
@require("budget.approve")
@blp.arguments(BudgetApproveSchema)
@blp.response(200, BudgetVersionSchema)
def approve(data, project, version):
    """Approve a draft on a date (the project lead or an admin): it is in force from then on"""
    version = versions.approve(project, version, data["approved_on"])
    db.session.commit()
    return _version_dump(version)


def _line_input(data: dict) -> LineInput:
    return LineInput(CostCategory(data["category"]), data["description"], data["units"], data["unit_price"], data.get("unit_type") or "", data.get("period_amounts"))

