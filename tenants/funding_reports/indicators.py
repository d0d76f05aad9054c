"""The indicators of a funding report for one reporting period, read from the core's figures registry
(`bibnet.figures`) and from nowhere else: the funding reports import no feature that provides them. Today the
sensory rooms register sessions held and visitors per target group (tenants/usage/report_figures.py).

The funder also asks for staff who completed a course and equipment items bought: until a feature registers
the figure under its key (`EXPECTED`), the report shows it as 0 with a note saying it is not recorded yet.
A figure that is a source of programme indicators names their codes after its label ("… (RCO85)").

A partner's report shows its own exact counts. The project's report shows each partner and the project;
as everywhere figures are read across tenants, counts from 1 to 4 are shown as "<5".
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from bibnet import figures
from bibnet.figures import Figure
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant

# The figures the funder expects, with the row shown while no feature registers them (key, placeholder label).
EXPECTED = (
    Figure("elearning.staff_completed", _l("Staff who completed a course (*)"), _l("participants"), order=50),
    Figure("inventory.items_bought", _l("Equipment items bought (*)"), _l("items"), order=60),
)


@dataclass(frozen=True)
class Indicators:
    """`columns` are the partners' codes (and the project's total), or one column for a partner's report;
    each row is a label and one value (a count, or "<5") per column; `notes` explain rows not measured yet."""

    columns: list[str]
    rows: list[tuple[str, list]]
    notes: list[str]
    kinds: list[str] = field(default_factory=list)  # each row's `Figure.kind`: money is shown as an amount

    def is_money(self, index: int) -> bool:
        return index < len(self.kinds) and self.kinds[index] == figures.MONEY


def _rows() -> tuple[list[Figure], set[str]]:
    """The registered figures and the expected ones nothing registers yet (their keys: `missing`), in report order."""
    missing = [expected for expected in EXPECTED if not figures.is_registered(expected.key)]
    return sorted([*figures.registered(), *missing], key=lambda figure: figure.order), {figure.key for figure in missing}


def _notes(missing: set[str]) -> list[str]:
    if not missing:
        return []
    return [_("(*) Not recorded in BibNet: shown as 0 until the module that records it is in use.")]


def _label(figure: Figure) -> str:
    return f"{figure.label} ({', '.join(figure.indicators)})" if figure.indicators else str(figure.label)


def of_partner(tenant: Tenant, period: ReportingPeriod) -> Indicators:
    """The current tenant's indicators, exact."""
    rows, missing = _rows()
    table = figures.compute(None, [tenant], period.starts_on, period.ends_on)
    values = [figure.zero() if figure.key in missing else table.value(tenant.id, figure.key) for figure in rows]
    return Indicators(
        [_("Value")], [(_label(figure), [value]) for figure, value in zip(rows, values, strict=True)], _notes(missing), [figure.kind for figure in rows]
    )


def of_project(project: Project, period: ReportingPeriod) -> Indicators:
    """Every partner's indicators and the project's (their sum), with counts from 1 to 4 shown as "<5"."""
    rows, missing = _rows()
    table = figures.of_project(project, None, period.starts_on, period.ends_on)
    partners = list(project.partners)

    def shown(figure: Figure) -> list:
        if figure.key in missing:
            return [figure.zero()] * (len(partners) + 1)
        values = [*(table.value(partner.tenant_id, figure.key) for partner in partners), table.total(figure.key)]
        return [figure.shown(value, across_tenants=True) for value in values]

    return Indicators(
        [*(partner.code for partner in partners), _("Project")], [(_label(figure), shown(figure)) for figure in rows], _notes(missing), [figure.kind for figure in rows]
    )
