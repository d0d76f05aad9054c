"""The indicators of a funding report for one reporting period: sessions held and visitors per target group
in the sensory rooms (from bookings, counted as the usage figures count them), staff who completed a course
and equipment items bought (0 until the e-learning and inventory modules record them).

A partner's report shows its own exact counts. The project's report shows each partner and the project;
as everywhere figures are read across tenants, counts from 1 to 4 are shown as "<5" (usage/figures.py).
"""
from dataclasses import dataclass

from flask_babel import gettext as _

from bibnet.tenancy.models import Project, ReportingPeriod, Tenant
from bibnet.tenants.bookings.labels import VISITOR_LABELS
from bibnet.tenants.bookings.models import TargetGroup
from bibnet.tenants.usage.figures import Measures, Period, project_usage, small_count_hidden, tenant_usage


@dataclass(frozen=True)
class Indicators:
    """`columns` are the partners' codes (and the project's total), or one column for a partner's report;
    each row is a label and one value (a count, or "<5") per column; `notes` explain rows not measured yet."""

    columns: list[str]
    rows: list[tuple[str, list]]
    notes: list[str]


def _counts(measures: Measures) -> list[int]:
    """Sessions held, the visitors of each target group and of all of them, then the two not measured yet."""
    groups = [measures.visitors[group.value] for group in TargetGroup]
    return [measures.sessions_held, *groups, measures.visitors_total, 0, 0]


def _labels() -> list[str]:
    return [
        _("Sessions held in the sensory rooms"),
        *(_("Visitors: %(group)s", group=VISITOR_LABELS[group.value]) for group in TargetGroup),
        _("Visitors in all target groups"),
        _("Staff who completed a course (*)"),
        _("Equipment items bought (*)"),
    ]


def _notes() -> list[str]:
    return [_("(*) Not recorded in BibNet yet: shown as 0 until the e-learning and equipment modules record them.")]


def _period(period: ReportingPeriod) -> Period:
    return Period(period.starts_on, period.ends_on)


def of_partner(tenant: Tenant, period: ReportingPeriod) -> Indicators:
    """The current tenant's indicators, exact."""
    values = _counts(tenant_usage(tenant, _period(period)).total)
    return Indicators([_("Value")], [(label, [value]) for label, value in zip(_labels(), values, strict=True)], _notes())


def of_project(project: Project, period: ReportingPeriod) -> Indicators:
    """Every partner's indicators and the project's (their sum), with counts from 1 to 4 shown as "<5"."""
    usage = project_usage(project, _period(period))
    columns = [*(_counts(partner.total) for partner in usage.partners), _counts(usage.total)]
    rows = [(label, [small_count_hidden(column[index]) for column in columns]) for index, label in enumerate(_labels())]
    return Indicators([*(partner.code for partner in usage.partners), _("Project")], rows, _notes())
