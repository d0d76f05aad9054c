"""The demo project's programme indicators (the LV–LT project, led by Pasvalys): the common RCO/RCR indicators
with the project's targets. Those a feature's figures feed take their values from the demo's own data; those
no figure feeds on this installation are entered by hand, and RCR84 (organisations that will go on cooperating
after the project) carries the signed letters of intent as evidence, a small PDF kept in Pasvalys's storage."""
from decimal import Decimal

from markupsafe import escape
import sqlalchemy as sa

from bibnet import demo, pdf
from bibnet.extensions import db
from bibnet.tenancy.models import Project
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.models import Measurement, ProgrammeIndicator

# code → (target, value typed in the period before the current one and in the current one, when no figure feeds it)
TARGETS = {
    "RCO81": (300, (64, 41)),
    "RCO85": (45, (12, 9)),
    "RCO87": (12, (7, 3)),
    "RCO115": (3, (1, 1)),
    "RCR81": (40, (10, 8)),
    "RCR84": (8, (0, 5)),
}
EVIDENCE_CODE = "RCR84"
EVIDENCE_TEXT = "Letters of intent to continue the cooperation after the project, signed by five organisations"


def _evidence_pdf(project: Project) -> bytes:
    title = escape(f"{project.acronym}: {EVIDENCE_TEXT}")
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1>'
        "<ol><li>Pasvalys social services</li><li>Pasvalys society of the blind</li><li>Jelgava day centre</li>"
        "<li>Jelgava care home</li><li>Augšdaugava association of people with disabilities</li></ol></body></html>"
    )
    with pdf.render(html) as file:
        return file.read()


def load_demo() -> None:
    project = db.session.scalar(sa.select(Project).where(Project.acronym == demo.PROJECT["acronym"]))
    if project is None or len(project.reporting_periods) < 2 or not project.partners:
        return
    if db.session.scalar(sa.select(ProgrammeIndicator.id).where(ProgrammeIndicator.project_id == project.id).limit(1)) is not None:
        return
    *_, before, current = project.reporting_periods
    for code, (target, _values) in TARGETS.items():
        services.add(project, services.common_input(code, Decimal(target)))
    manual = {indicator.code for indicator in services.indicators_of(project) if indicator.measurement is Measurement.MANUAL}
    for period, index in ((before, 0), (current, 1)):
        services.set_values(project, period, {code: Decimal(TARGETS[code][1][index]) for code in sorted(manual)})
    indicator = next(indicator for indicator in services.indicators_of(project) if indicator.code == EVIDENCE_CODE)
    services.attach_evidence(project, indicator, current, _evidence_pdf(project), "letters-of-intent.pdf", EVIDENCE_TEXT)
    db.session.commit()
