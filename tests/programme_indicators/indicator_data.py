"""What the programme indicator tests share: the periods, the test figure keys, a tiny PDF, and inputs."""
from datetime import date
from decimal import Decimal

from bibnet import figures
from bibnet.tenants.funding_reports.programme_indicators.services import IndicatorInput

PERIODS = ((1, date(2025, 1, 1), date(2025, 6, 30)), (2, date(2025, 7, 1), date(2025, 12, 31)), (3, date(2026, 1, 1), date(2026, 6, 30)))
JOINT = "testing.joint_participations"
EVENTS = "testing.joint_events"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Counts:
    """(tenant id, first day of the period asked about) → participations, events."""

    def __init__(self):
        self.values: dict[tuple[int, date], tuple[int, int]] = {}
        self.calls = 0

    def compute(self, tenants, first, last):
        self.calls += 1
        return {tenant.id: dict(zip((JOINT, EVENTS), self.values.get((tenant.id, first), (0, 0)), strict=True)) for tenant in tenants}


def fed(code: str, target: str, keys=()) -> IndicatorInput:
    name, unit = figures.PROGRAMME_INDICATORS[code]
    return IndicatorInput(code, name, unit, Decimal(0), Decimal(target), "fed", tuple(keys))


def manual(code: str, target: str, name: str = "Jointly organised conferences", unit: str = "conferences", whole: bool = True) -> IndicatorInput:
    return IndicatorInput(code, name, unit, Decimal(0), Decimal(target), "manual", (), whole)
