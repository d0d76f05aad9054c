"""Fixtures of the programme indicator tests: a project of two partners (the `world`) with three reporting
periods, and a figure source of the tests' own registered in the core registry for the test only, whose
values per tenant and period the test sets."""
from indicator_data import EVENTS, JOINT, PERIODS, Counts, fed, manual
import pytest
import sqlalchemy as sa

from bibnet import demo, figures
from bibnet.extensions import db
from bibnet.figures import Figure, FigureSource
from bibnet.tenancy.models import Project, ReportingPeriod
from bibnet.tenants.budgets.demo import load_demo as load_budget_demo
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.demo import load_demo as load_indicator_demo


@pytest.fixture
def counts(monkeypatch) -> Counts:
    """A test figure source feeding RCO81 (participations) and RCO115 (events), registered for this test only."""
    monkeypatch.setattr(figures, "_sources", dict(figures._sources))
    monkeypatch.setattr(figures, "_figures", dict(figures._figures))
    counted = Counts()
    figures.register(FigureSource("testing", (
        Figure(JOINT, "Joint participations (test)", "participations", indicators=("RCO81",)),
        Figure(EVENTS, "Joint events (test)", "events", indicators=("RCO115",)),
    ), counted.compute))
    return counted


@pytest.fixture
def periods(world) -> dict[int, ReportingPeriod]:
    made = {number: ReportingPeriod(project_id=world.project.id, number=number, starts_on=first, ends_on=last) for number, first, last in PERIODS}
    db.session.add_all(made.values())
    db.session.commit()
    return made


@pytest.fixture
def indicators(world, periods, counts):
    """RCO81 fed by the test figures (target 300), and a conference count typed by hand (target 3)."""
    made = services.add(world.project, fed("RCO81", "300", [JOINT])), services.add(world.project, manual("CONF1", "3"))
    db.session.commit()
    return made


@pytest.fixture
def demo_project(app_context) -> Project:
    """The demo (`bibnet demo`): its project, partner budgets and programme indicators."""
    demo.load()
    db.session.commit()
    load_budget_demo()
    load_indicator_demo()
    return db.session.scalar(sa.select(Project))
