"""Named figures that features compute for reports: the registry the funding reports read their indicators from.

A feature registers a `FigureSource`: the figures it provides (key, translated label, unit, how a value is
shown, a mode such as online or in person) and one function that computes all of them for a set of tenants
and a date range, in a bounded number of queries whatever the number of tenants (one grouped query, never
one per partner). The function reads through the tenant guard, so it sees what the caller's scope shows: the
current tenant for a partner's report, the project's partners inside `partners_of` (`of_project`).

The core never imports a feature, and readers of figures (the funding reports) never import the features
that provide them: the rooms' figures come from `tenants/usage`, staff trained will come from e-learning,
equipment from the inventory, in the same way.

A figure may be the source of programme indicators (Interreg, names and units as Jems has them): it names
their codes, and `sources_of_indicator(code)` finds them. Targets and definitions stay per project.
"""
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenancy.context import partners_of
from bibnet.tenancy.models import Tenant

SMALL_COUNT = "<5"

# How a value is shown. Counts are suppressed across tenants (1 to 4 becomes "<5"); hours are not counts of people,
# and money (euro, a Decimal of cents, never a float) is an amount, not a count of people either.
COUNT, HOURS, MONEY = "count", "hours", "money"
# What a figure counts, where the way matters to a funder: training online or in person.
ONLINE, IN_PERSON = "online", "in_person"

# The programme's output (RCO) and result (RCR) indicators, with Jems's English names and units (never translated:
# they are keyed into Jems as they are).
PROGRAMME_INDICATORS = {
    "RCO81": ("Participations in joint actions across borders", "participations"),
    "RCO83": ("Strategies and action plans jointly developed", "strategy / action plan"),
    "RCO84": ("Pilot actions developed jointly and implemented in projects", "pilot actions"),
    "RCO85": ("Participations in joint training schemes", "participations"),
    "RCO87": ("Organisations cooperating across borders", "organisations"),
    "RCO115": ("Public events across borders jointly organised", "events"),
    "RCO116": ("Jointly developed solutions", "solutions"),
    "RCR79": ("Joint strategies and action plans taken up by organisations", "strategy / action plan"),
    "RCR81": ("Completion of joint training schemes", "participants"),
    "RCR84": ("Organisations cooperating across borders after project completion", "organisations"),
    "RCR85": ("Participations in joint actions across borders after project completion", "participations"),
}


def small_count_hidden(count: int) -> int | str:
    """Small-cell suppression for figures shown across tenants: 1 to 4 becomes "<5"; 0 stays 0."""
    return SMALL_COUNT if 1 <= count <= 4 else count


class UnknownFigure(LookupError):
    """A figure or a programme indicator that nothing registered: a programming error, named at once."""


@dataclass(frozen=True)
class Figure:
    """One named figure. `key` is "<feature>.<what>" and stays stable: reports and project settings refer to it.
    `order` places it among the report's indicators (lower first; ties keep the order of registration)."""

    key: str
    label: object  # a lazy string, translated when shown
    unit: object  # a lazy string: "sessions", "visitors", "participants", "hours"
    kind: str = COUNT
    mode: str | None = None  # ONLINE or IN_PERSON when the figure counts one way of doing it only
    indicators: tuple[str, ...] = ()  # programme indicator codes this figure is a source of
    order: int = 100

    def __post_init__(self):
        unknown = [code for code in self.indicators if code not in PROGRAMME_INDICATORS]
        if unknown:
            raise UnknownFigure(f"figure {self.key!r} names unknown programme indicators {unknown}")

    def shown(self, value, across_tenants: bool):
        """The value as a report shows it: counts read across tenants are suppressed from 1 to 4."""
        return small_count_hidden(value) if across_tenants and self.kind == COUNT else value

    def zero(self):
        if self.kind == MONEY:
            return Decimal("0.00")
        return 0 if self.kind == COUNT else Decimal("0.0")


# compute(tenants, first, last) -> {tenant id: {figure key: value}}; tenants have `id` and `timezone`; the days
# are both included, in each tenant's local calendar. A tenant or key left out of the answer counts as zero.
Compute = Callable[[Sequence, date, date], dict[int, dict[str, object]]]


@dataclass(frozen=True)
class FigureSource:
    """Figures computed together (from the same query) by one function."""

    name: str
    figures: tuple[Figure, ...]
    compute: Compute


_sources: dict[str, FigureSource] = {}
_figures: dict[str, tuple[Figure, FigureSource]] = {}


def register(source: FigureSource) -> None:
    """Add a feature's figures. Registering the same source again is a no-op (tests build several apps); another
    source under a taken name, or a figure key that another source provides, is refused."""
    if _sources.get(source.name) is source:
        return
    if source.name in _sources:
        raise ValueError(f"figure source {source.name!r} is already registered")
    taken = [figure.key for figure in source.figures if figure.key in _figures]
    if taken:
        raise ValueError(f"figures {taken} are already registered")
    _sources[source.name] = source
    for figure in source.figures:
        _figures[figure.key] = (figure, source)


def is_registered(key: str) -> bool:
    return key in _figures


def figure(key: str) -> Figure:
    try:
        return _figures[key][0]
    except KeyError:
        raise UnknownFigure(f"no figure {key!r} is registered") from None


def registered() -> list[Figure]:
    """Every figure, in report order."""
    figures = [figure for figure, _source in _figures.values()]
    return sorted(figures, key=lambda figure: figure.order)  # stable: ties keep the order of registration


def sources_of_indicator(code: str) -> list[Figure]:
    """The figures that count towards a programme indicator (RCO85: participations in joint training schemes...)."""
    if code not in PROGRAMME_INDICATORS:
        raise UnknownFigure(f"no programme indicator {code!r}")
    return [figure for figure in registered() if code in figure.indicators]


@dataclass(frozen=True)
class FigureTable:
    """The values of some figures for some tenants: `value(tenant_id, key)`, and `total(key)` over the tenants."""

    tenant_ids: tuple[int, ...]
    figures: tuple[Figure, ...]
    values: dict[int, dict[str, object]] = field(default_factory=dict)

    def value(self, tenant_id: int, key: str):
        return self.values.get(tenant_id, {}).get(key, figure(key).zero())

    def total(self, key: str):
        return sum((self.value(tenant_id, key) for tenant_id in self.tenant_ids), figure(key).zero())


def compute(keys: Iterable[str] | None, tenants: Sequence, first: date, last: date) -> FigureTable:
    """The figures named by `keys` (every registered figure when None) for `tenants` over `first`..`last`,
    running each source that provides one of them once. The caller's tenant scope decides what is read: the
    current tenant, or `partners_of(project)` (see `of_project`)."""
    if first > last:
        raise ValueError("a period cannot end before it starts")
    wanted = [figure(key) for key in keys] if keys is not None else registered()
    sources = {_figures[wanted_figure.key][1].name: _figures[wanted_figure.key][1] for wanted_figure in wanted}
    tenant_ids = tuple(tenant.id for tenant in tenants)
    values: dict[int, dict[str, object]] = {tenant_id: {} for tenant_id in tenant_ids}
    for source in sources.values():
        for tenant_id, computed in source.compute(tenants, first, last).items():
            if tenant_id in values:  # a source answers for the tenants asked about, never more
                values[tenant_id].update(computed)
    return FigureTable(tenant_ids, tuple(wanted), values)


def of_project(project, keys: Iterable[str] | None, first: date, last: date) -> FigureTable:
    """Every partner's figures, read across the project's partners (and no other tenant) with `partners_of`."""
    tenant_ids = [partner.tenant_id for partner in project.partners]
    by_id = {tenant.id: tenant for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_(tenant_ids)))}  # one query
    tenants = [by_id[tenant_id] for tenant_id in tenant_ids]
    with partners_of(project, reason=f"figures for reports, {first} to {last}"):
        return compute(keys, tenants, first, last)
