"""The rules of a project's programme indicators: what may be saved (checked first, refused with field errors,
nothing written), and each indicator's values per reporting period as Jems's project report asks for them.

**Values.** A FED indicator's value in a period is the sum, over its figure keys and over the project's
partners, of the registered figures (`bibnet.figures`) for the period's days; a MANUAL one's is what the lead
typed for the period (none typed: 0). *Previously reported* is the sum of the earlier periods' values (as Jems
sums its reports), *cumulative* adds this report's, *% of target* is cumulative / target, half up to two decimals.
The project's totals are exact: they are what the programme is told, seen only by the lead, never per partner,
so the small-count masking of the usage pages does not apply.

The figures are read once per reporting period up to the chosen one, for all indicators together: the number
of queries grows with the periods, not with the indicators or partners.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from bibnet import figures
from bibnet.db import utcnow
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.storage.backends import get_storage
from bibnet.storage.models import StoredFile
from bibnet.storage.uploads import DOCUMENTS, OFFICE_DOCUMENTS, detect_type, store_upload
from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenancy.models import Project, ReportingPeriod, Tenant
from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorEvidence, IndicatorValue, Measurement, ProgrammeIndicator

AREA = "programme-indicators"
EVIDENCE_TYPES = DOCUMENTS | OFFICE_DOCUMENTS
MAX_VALUE = Decimal("999999999999.99")  # what NUMERIC(14, 2) holds
ZERO = Decimal("0")


@dataclass(frozen=True)
class IndicatorInput:
    """An indicator as typed (a form or the API body); numbers already read as Decimal, or None when missing."""

    code: str
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    measurement: str
    figure_keys: tuple[str, ...] = ()
    whole_numbers: bool = True


def common_input(code: str, target: Decimal = ZERO) -> IndicatorInput:
    """One of the common RCO/RCR indicators with Jems's name and unit: fed when a figure names its code."""
    name, unit = figures.PROGRAMME_INDICATORS[code]
    fed = bool(figures.sources_of_indicator(code))
    return IndicatorInput(code, name, unit, ZERO, target, Measurement.FED if fed else Measurement.MANUAL)


def indicators_of(project: Project) -> list[ProgrammeIndicator]:
    """The project's indicators in use, in their order."""
    statement = (
        sa.select(ProgrammeIndicator)
        .where(ProgrammeIndicator.project_id == project.id, ProgrammeIndicator.deleted_at.is_(None))
        .order_by(ProgrammeIndicator.position, ProgrammeIndicator.id)
    )
    return list(db.session.scalars(statement))


def _number_errors(value: Decimal | None, whole: bool, required_message) -> list:
    if value is None:
        return [required_message]
    if value < 0:
        return [_l("Enter zero or more: an indicator never counts below zero.")]
    if value > MAX_VALUE:
        return [_l("Enter a smaller number.")]
    if whole and value != value.to_integral_value():
        return [_l("Enter a whole number: this indicator counts whole units.")]
    if value != value.quantize(Decimal("0.01")):
        return [_l("Enter a number with at most two decimals.")]
    return []


def _errors(project: Project, typed: IndicatorInput, taken_codes: set[str], prefix: str = "") -> dict[str, list]:
    errors: dict[str, list] = {}

    def add(path, messages):
        if messages:
            errors.setdefault(prefix + path, []).extend(messages)

    code = typed.code.strip().upper()
    if not code:
        add("code", [_l("Enter the indicator's code, for example RCO81.")])
    elif len(code) > 20 or not code.replace("_", "").replace("-", "").replace(".", "").isalnum() or not code.isascii():
        add("code", [_l("Enter a code of at most 20 letters and digits, for example RCO81.")])
    elif code in taken_codes:
        add("code", [_l("The project has an indicator %(code)s already.", code=code)])
    if not typed.name.strip() or len(typed.name.strip()) > 200:
        add("name", [_l("Enter the indicator's name, at most 200 characters.")])
    if not typed.unit.strip() or len(typed.unit.strip()) > 60:
        add("unit", [_l("Enter the unit it is measured in, for example participations (at most 60 characters).")])
    add("baseline", _number_errors(typed.baseline, typed.whole_numbers, _l("Enter the baseline, 0 if there is none.")))
    add("target", _number_errors(typed.target, typed.whole_numbers, _l("Enter the target.")))
    if typed.measurement not in set(Measurement):
        add("measurement", [_l("Choose whether the indicator is fed from BibNet's figures or entered by hand.")])
    unknown = [key for key in typed.figure_keys if not figures.is_registered(key)]
    if unknown:
        add("figure_keys", [_l("No figure is recorded under %(keys)s.", keys=", ".join(unknown))])
    elif typed.measurement == Measurement.FED and not _keys(code, list(typed.figure_keys)):
        add("figure_keys", [_l("No figure in BibNet feeds %(code)s yet: choose the figures to sum, or enter its values by hand.", code=code or "?")])
    return errors


def _keys(code: str, chosen: list[str]) -> list[str]:
    """The figure keys a FED indicator sums: those chosen, else the figures that name its code."""
    if chosen:
        return [key for key in chosen if figures.is_registered(key)]
    if code in figures.PROGRAMME_INDICATORS:
        return [figure.key for figure in figures.sources_of_indicator(code)]
    return []


def keys_of(indicator: ProgrammeIndicator) -> list[str]:
    return _keys(indicator.code, list(indicator.figure_keys or []))


def _fill(indicator: ProgrammeIndicator, typed: IndicatorInput) -> None:
    indicator.code = typed.code.strip().upper()
    indicator.name = typed.name.strip()
    indicator.unit = typed.unit.strip()
    indicator.baseline = typed.baseline
    indicator.target = typed.target
    indicator.whole_numbers = typed.whole_numbers
    indicator.measurement = Measurement(typed.measurement)
    indicator.figure_keys = list(typed.figure_keys) if typed.measurement == Measurement.FED else []


def add(project: Project, typed: IndicatorInput) -> ProgrammeIndicator:
    current = indicators_of(project)
    errors = _errors(project, typed, {indicator.code for indicator in current})
    if errors:
        raise Refused(errors)
    indicator = ProgrammeIndicator(project_id=project.id, position=max((i.position for i in current), default=0) + 1)
    _fill(indicator, typed)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def change(project: Project, indicator: ProgrammeIndicator, typed: IndicatorInput) -> ProgrammeIndicator:
    taken = {other.code for other in indicators_of(project) if other.id != indicator.id}
    errors = _errors(project, typed, taken)
    if errors:
        raise Refused(errors)
    _fill(indicator, typed)
    db.session.flush()
    return indicator


def remove(indicator: ProgrammeIndicator, by=None) -> None:
    """A soft delete: its values and evidence stay, as they were reported; the audit log records who removed it."""
    indicator.deleted_at = utcnow()
    indicator.deleted_by_id = getattr(by, "id", None)
    db.session.flush()


def add_common(project: Project, codes: Sequence[str]) -> list[ProgrammeIndicator]:
    """The chosen common indicators (RCO81, …) with Jems's names and units, target 0 for the lead to set."""
    unknown = [code for code in codes if code not in figures.PROGRAMME_INDICATORS]
    if unknown or not codes:
        raise Refused({"codes": [_l("Choose one or more indicators of the list.")]})
    taken = {indicator.code for indicator in indicators_of(project)}
    return [add(project, common_input(code)) for code in codes if code not in taken]


def replace_all(project: Project, typed: Sequence[IndicatorInput], by=None) -> list[ProgrammeIndicator]:
    """The API's PUT: the project's indicators become `typed` (by code); those left out are removed (soft)."""
    errors: dict[str, list] = {}
    seen: set[str] = set()
    for index, one in enumerate(typed):
        errors |= _errors(project, one, seen, prefix=f"indicators.{index}.")
        seen.add(one.code.strip().upper())
    if errors:
        raise Refused(errors)
    current = {indicator.code: indicator for indicator in indicators_of(project)}
    for code, indicator in current.items():
        if code not in seen:
            remove(indicator, by)
    kept = []
    for position, one in enumerate(typed, start=1):
        indicator = current.get(one.code.strip().upper())
        if indicator is None:
            indicator = ProgrammeIndicator(project_id=project.id)
            db.session.add(indicator)
        _fill(indicator, one)
        indicator.position = position
        kept.append(indicator)
    db.session.flush()
    return kept


# --- values per reporting period -----------------------------------------------------------------------------------


def set_values(project: Project, period: ReportingPeriod, values: dict[str, Decimal | None]) -> None:
    """The typed values of MANUAL indicators in `period`, by code; None clears one. All of them or none."""
    by_code = {indicator.code: indicator for indicator in indicators_of(project)}
    errors: dict[str, list] = {}
    for code, value in values.items():
        indicator = by_code.get(code)
        # The code names the field, unless it could be read as a path of its own ("a.b"): then the values as a whole.
        path = f"values.{code}" if code.isalnum() else "values"
        if indicator is None:
            errors.setdefault(path, []).append(_l("The project has no indicator %(code)s.", code=code))
        elif indicator.measurement is not Measurement.MANUAL:
            errors.setdefault(path, []).append(_l("%(code)s is fed from BibNet's figures: its value cannot be typed.", code=code))
        elif value is not None and (problems := _number_errors(value, indicator.whole_numbers, None)):
            errors.setdefault(path, []).extend(problems)
    if errors:
        raise Refused(errors)
    ids = [by_code[code].id for code in values]
    stored = {row.indicator_id: row for row in db.session.scalars(
        sa.select(IndicatorValue).where(IndicatorValue.period_id == period.id, IndicatorValue.indicator_id.in_(ids))
    )}
    for code, value in values.items():
        indicator = by_code[code]
        row = stored.get(indicator.id)
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(IndicatorValue(indicator_id=indicator.id, period_id=period.id, value=value))
        else:
            row.value = value
    db.session.flush()


def lead_tenant_id(project: Project) -> int:
    """The tenant whose storage holds the project's evidence: the lead partner's (LP1)."""
    return project.partners[0].tenant_id


def attach_evidence(project: Project, indicator: ProgrammeIndicator, period: ReportingPeriod, data: bytes, filename: str, description: str, by=None) -> IndicatorEvidence:
    """Store a file proving the indicator's value in the period, with what it is."""
    description = (description or "").strip()
    if not description or len(description) > 300:
        raise Refused({"description": [_l("Say what the file shows, in at most 300 characters: for example the signed attendance list of the conference.")]})
    if not data:
        raise Refused({"file": [_l("Choose the file to attach.")]})
    if detect_type(data) not in EVIDENCE_TYPES:
        raise Refused({"file": [_l("Attach a PDF, an image or an office document.")]})
    tenant_id = lead_tenant_id(project)
    with tenant_scope(tenant_id, reason="programme indicators: evidence is kept in the lead partner's storage"):
        stored = store_upload(data, filename, AREA, EVIDENCE_TYPES, current_app.config["MAX_CONTENT_LENGTH"], uploaded_by=by)
    evidence = IndicatorEvidence(
        indicator_id=indicator.id, period_id=period.id, description=description, file_tenant_id=tenant_id, file_id=stored.id,
        filename=stored.filename, uploaded_by_id=getattr(by, "id", None),
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence


def evidence_of(project: Project, evidence_id: int) -> IndicatorEvidence | None:
    """An evidence file of the project's indicators (of a removed indicator too: it was reported), else None."""
    return db.session.scalar(
        sa.select(IndicatorEvidence).join(ProgrammeIndicator, ProgrammeIndicator.id == IndicatorEvidence.indicator_id)
        .where(IndicatorEvidence.id == evidence_id, ProgrammeIndicator.project_id == project.id)
    )


def open_evidence(evidence: IndicatorEvidence):
    """(stream, stored file) of an evidence file, read in the storage of the tenant that holds it."""
    with tenant_scope(evidence.file_tenant_id, reason="programme indicators: the lead downloads an evidence file"):
        stored = db.session.get(StoredFile, evidence.file_id)
        return get_storage().open(stored.key), stored


def remove_evidence(evidence: IndicatorEvidence) -> str:
    """Remove an evidence file; returns its storage key, to delete once committed."""
    with tenant_scope(evidence.file_tenant_id, reason="programme indicators: the lead removes an evidence file"):
        stored = db.session.get(StoredFile, evidence.file_id)
        key = stored.key
        db.session.delete(evidence)
        db.session.flush()
        db.session.delete(stored)
        db.session.flush()
    return key


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the project report's programme indicators for a period."""

    indicator: ProgrammeIndicator
    previously: Decimal
    this_report: Decimal
    evidence: list[IndicatorEvidence] = field(default_factory=list)
    typed: bool = False  # a MANUAL indicator with a value typed for the period

    @property
    def cumulative(self) -> Decimal:
        return self.previously + self.this_report

    @property
    def percent_of_target(self) -> Decimal | None:
        target = self.indicator.target
        if not target:
            return None
        return (self.cumulative * 100 / target).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def shown(self, value: Decimal):
        """A count as an int, another unit as its Decimal."""
        return int(value) if self.indicator.whole_numbers else value


def _figure_values(project: Project, indicators: list[ProgrammeIndicator], periods: list[ReportingPeriod]) -> dict[tuple[int, int], Decimal]:
    """(indicator id, period id) → the FED indicator's value: one figures computation per period for all of them."""
    fed = {indicator.id: keys_of(indicator) for indicator in indicators if indicator.measurement is Measurement.FED}
    keys = sorted({key for wanted in fed.values() for key in wanted})
    values: dict[tuple[int, int], Decimal] = {}
    if not keys or not periods:
        return values
    tenant_ids = [partner.tenant_id for partner in project.partners]
    by_id = {tenant.id: tenant for tenant in db.session.scalars(sa.select(Tenant).where(Tenant.id.in_(tenant_ids)))}
    tenants = [by_id[tenant_id] for tenant_id in tenant_ids]
    with partners_of(project, reason="programme indicators: the figures that feed them"):
        for period in periods:
            table = figures.compute(keys, tenants, period.starts_on, period.ends_on)
            for indicator_id, wanted in fed.items():
                values[(indicator_id, period.id)] = sum((Decimal(table.total(key)) for key in wanted), ZERO)
    return values


def rows_of(project: Project, period: ReportingPeriod, indicators: list[ProgrammeIndicator] | None = None) -> list[IndicatorRow]:
    """Each indicator's previously reported, this report and evidence for `period`."""
    indicators = indicators_of(project) if indicators is None else indicators
    if not indicators:
        return []
    periods = [one for one in project.reporting_periods if one.number <= period.number]
    ids = [indicator.id for indicator in indicators]
    computed = _figure_values(project, indicators, periods)
    typed = {
        (row.indicator_id, row.period_id): row.value
        for row in db.session.scalars(sa.select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids), IndicatorValue.period_id.in_([one.id for one in periods])))
    }
    evidence: dict[int, list[IndicatorEvidence]] = {}
    for item in db.session.scalars(
        sa.select(IndicatorEvidence).where(IndicatorEvidence.indicator_id.in_(ids), IndicatorEvidence.period_id == period.id).order_by(IndicatorEvidence.id)
    ):
        evidence.setdefault(item.indicator_id, []).append(item)
    rows = []
    for indicator in indicators:
        source = computed if indicator.measurement is Measurement.FED else typed
        earlier = sum((source.get((indicator.id, one.id), ZERO) for one in periods if one.number < period.number), ZERO)
        now = source.get((indicator.id, period.id), ZERO)
        rows.append(IndicatorRow(indicator, earlier, now, evidence.get(indicator.id, []), (indicator.id, period.id) in typed))
    return rows
