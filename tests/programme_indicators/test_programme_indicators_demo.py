"""The demo's LV–LT project has its programme indicators with the targets of the project, this period's values
(fed from the demo's figures where a feature feeds the code, typed otherwise) and a value typed by hand with its
evidence file; loading the demo again adds nothing."""
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.demo import EVIDENCE_CODE, EVIDENCE_TEXT, TARGETS
from bibnet.tenants.funding_reports.programme_indicators.demo import load_demo as load_indicator_demo
from bibnet.tenants.funding_reports.programme_indicators.models import Measurement

pytest_plugins = ["indicator_fixtures"]


def test_the_demo_project_has_the_lv_lt_indicators_with_targets_values_and_evidence(demo_project):
    indicators = services.indicators_of(demo_project)
    assert {indicator.code: int(indicator.target) for indicator in indicators} == {code: target for code, (target, _values) in TARGETS.items()}
    rows = {row.indicator.code: row for row in services.rows_of(demo_project, demo_project.reporting_periods[-1])}
    assert [item.description for item in rows[EVIDENCE_CODE].evidence] == [EVIDENCE_TEXT]
    for code, row in rows.items():  # typed where no feature's figure names the code; fed otherwise
        if row.indicator.measurement is Measurement.MANUAL:
            assert (row.previously, row.this_report) == TARGETS[code][1], code
    stream, stored = services.open_evidence(rows[EVIDENCE_CODE].evidence[0])
    assert stream.read().startswith(b"%PDF") and stored.content_type == "application/pdf"
    load_indicator_demo()  # loading the demo again adds nothing
    assert len(services.indicators_of(demo_project)) == len(TARGETS)
