"""Programme indicators per reporting period, as Jems's project report asks: target, previously reported (the
earlier periods summed), this report, cumulative and % of target; fed indicators sum the registered figures of
every partner, those entered by hand take the typed value with its evidence. Bad input is refused with field
errors and nothing is written; removing an indicator is a soft delete the audit log records."""
from decimal import Decimal

from indicator_data import EVENTS, JOINT, PDF, fed, manual
import pytest
import sqlalchemy as sa

from bibnet.audit.models import AuditEntry
from bibnet.extensions import db
from bibnet.refusals import Refused
from bibnet.tenants.funding_reports.programme_indicators import services
from bibnet.tenants.funding_reports.programme_indicators.models import IndicatorEvidence, IndicatorValue, Measurement, ProgrammeIndicator

pytest_plugins = ["indicator_fixtures"]


def test_a_fed_indicator_sums_every_partners_figures_per_period(world, periods, counts, indicators):
    first, second, third = (periods[number].starts_on for number in (1, 2, 3))
    counts.values = {
        (world.pasvalys.id, first): (40, 0), (world.jelgava.id, first): (20, 1),
        (world.pasvalys.id, second): (7, 0), (world.jelgava.id, second): (3, 0),
        (world.pasvalys.id, third): (25, 1), (world.jelgava.id, third): (2, 0),
    }
    row = services.rows_of(world.project, periods[3])[0]
    assert (row.indicator.code, row.previously, row.this_report, row.cumulative) == ("RCO81", 70, 27, 97)
    assert row.percent_of_target == Decimal("32.33")  # 97 of 300, half up
    assert row.shown(row.cumulative) == 97 and isinstance(row.shown(row.cumulative), int)
    first_row = services.rows_of(world.project, periods[1])[0]
    assert (first_row.previously, first_row.this_report, first_row.cumulative) == (0, 60, 60)


def test_the_figures_are_read_once_per_period_whatever_the_number_of_indicators(world, periods, counts, indicators):
    services.add(world.project, fed("RCO115", "3"))  # fed by default by the figures naming RCO115: the test's events
    db.session.commit()
    services.rows_of(world.project, periods[3])
    assert counts.calls == 3


def test_a_fed_indicator_without_chosen_keys_sums_the_figures_that_name_its_code(world, periods, counts):
    indicator = services.add(world.project, fed("RCO115", "3"))
    counts.values = {(world.pasvalys.id, periods[2].starts_on): (0, 1), (world.jelgava.id, periods[2].starts_on): (0, 1)}
    assert EVENTS in services.keys_of(indicator)  # with any feature's figure that names RCO115 (none of them counts here)
    (row,) = services.rows_of(world.project, periods[2])
    assert (row.this_report, row.cumulative, row.percent_of_target) == (2, 2, Decimal("66.67"))


def test_values_typed_by_hand_add_up_and_carry_their_evidence(world, periods, counts, indicators):
    _fed, conferences = indicators
    services.set_values(world.project, periods[1], {"CONF1": Decimal(1)})
    services.set_values(world.project, periods[3], {"CONF1": Decimal(1)})
    evidence = services.attach_evidence(world.project, conferences, periods[3], PDF, "attendance.pdf", "Signed attendance list of the joint conference", world.lead)
    db.session.commit()
    row = services.rows_of(world.project, periods[3])[1]
    assert (row.previously, row.this_report, row.cumulative, row.typed) == (1, 1, 2, True)
    assert [(item.description, item.filename) for item in row.evidence] == [("Signed attendance list of the joint conference", "attendance.pdf")]
    assert services.rows_of(world.project, periods[2])[1].evidence == []  # evidence belongs to its period
    stream, stored = services.open_evidence(evidence)
    assert stream.read() == PDF and stored.tenant_id == world.pasvalys.id  # kept in the lead partner's storage


def test_a_value_typed_again_replaces_it_and_an_empty_one_clears_it(world, periods, counts, indicators):
    services.set_values(world.project, periods[2], {"CONF1": Decimal(1)})
    services.set_values(world.project, periods[2], {"CONF1": Decimal(2)})
    assert services.rows_of(world.project, periods[2])[1].this_report == 2
    services.set_values(world.project, periods[2], {"CONF1": None})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 0


@pytest.mark.parametrize(("typed", "field"), [
    (manual("CONF2", "-1"), "target"),
    (manual("CONF2", "2.5"), "target"),  # a count in whole units
    (manual("CONF2", "3", name=""), "name"),
    (manual("", "3"), "code"),
    (manual("RCO81", "3"), "code"),  # the project has RCO81 already
    (manual("rco81 ", "3"), "code"),  # the same code, typed differently
    (fed("RCO85", "45", ["no.such_figure"]), "figure_keys"),
    (fed("RCO83", "1"), "figure_keys"),  # nothing feeds RCO83 and no figure was chosen
])
def test_bad_indicators_are_refused_on_their_field_and_nothing_is_written(world, periods, counts, indicators, typed, field):
    with pytest.raises(Refused) as refused:
        services.add(world.project, typed)
    assert list(refused.value.errors) == [field]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeIndicator)) == 2


def test_decimals_are_allowed_when_the_unit_is_not_counted_in_whole_units(world, periods, counts):
    indicator = services.add(world.project, manual("HOURS", "12.5", name="Hours of joint training", unit="hours", whole=False))
    services.set_values(world.project, periods[1], {"HOURS": Decimal("2.25")})
    assert services.rows_of(world.project, periods[1])[0].shown(Decimal("2.25")) == Decimal("2.25")
    assert indicator.target == Decimal("12.5")


@pytest.mark.parametrize(("values", "field"), [
    ({"CONF1": Decimal(-2)}, "values.CONF1"),
    ({"CONF1": Decimal("1.5")}, "values.CONF1"),
    ({"RCO81": Decimal(5)}, "values.RCO81"),  # fed from the figures: not typed
    ({"NOPE": Decimal(5)}, "values.NOPE"),
])
def test_bad_values_are_refused_and_none_of_them_is_written(world, periods, counts, indicators, values, field):
    with pytest.raises(Refused) as refused:
        services.set_values(world.project, periods[1], {"CONF1": Decimal(1)} | values if "CONF1" not in values else values)
    assert field in refused.value.errors
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 0


def test_evidence_must_be_a_document_with_a_description(world, periods, counts, indicators):
    _fed, conferences = indicators
    with pytest.raises(Refused) as refused:
        services.attach_evidence(world.project, conferences, periods[1], b"just text", "notes.txt", "Notes", world.lead)
    assert list(refused.value.errors) == ["file"]
    with pytest.raises(Refused) as refused:
        services.attach_evidence(world.project, conferences, periods[1], PDF, "list.pdf", "  ", world.lead)
    assert list(refused.value.errors) == ["description"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorEvidence)) == 0


def test_removing_an_indicator_keeps_it_and_its_values_and_the_audit_log_says_who(world, periods, counts, indicators):
    _fed, conferences = indicators
    services.set_values(world.project, periods[1], {"CONF1": Decimal(1)})
    services.remove(conferences, world.lead)
    db.session.commit()
    assert [indicator.code for indicator in services.indicators_of(world.project)] == ["RCO81"]
    assert db.session.get(ProgrammeIndicator, conferences.id).deleted_by_id == world.lead.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 1
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "ProgrammeIndicator", AuditEntry.object_id == conferences.id, AuditEntry.action == "update"))
    assert "deleted_at" in entry.changes
    services.add(world.project, manual("CONF1", "4"))  # the code is free again
    db.session.commit()


def test_the_common_list_adds_jems_names_and_units_fed_where_a_figure_names_the_code(world, periods, counts):
    added = services.add_common(world.project, ["RCO81", "RCO83", "RCR84"])
    by_code = {indicator.code: indicator for indicator in added}
    assert by_code["RCO81"].name == "Participations in joint actions across borders" and by_code["RCO81"].unit == "participations"
    assert (by_code["RCO81"].measurement, by_code["RCO83"].measurement) == (Measurement.FED, Measurement.MANUAL)
    assert services.add_common(world.project, ["RCO81"]) == []  # offered once
    with pytest.raises(Refused):
        services.add_common(world.project, ["RCO999"])


def test_replacing_the_set_updates_by_code_adds_new_ones_and_removes_the_rest_softly(world, periods, counts, indicators):
    services.replace_all(world.project, [fed("RCO81", "350", [JOINT]), manual("CONF2", "2")], world.lead)
    db.session.commit()
    current = services.indicators_of(world.project)
    assert [(indicator.code, indicator.target) for indicator in current] == [("RCO81", Decimal("350")), ("CONF2", Decimal("2"))]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeIndicator).where(ProgrammeIndicator.deleted_at.is_not(None))) == 1
    with pytest.raises(Refused) as refused:
        services.replace_all(world.project, [manual("DUP", "1"), manual("DUP", "2")])
    assert list(refused.value.errors) == ["indicators.1.code"]
