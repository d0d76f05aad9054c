"""Co-financing to the cent: the rules of tenants/budgets/cofinancing.py, as examples and as properties.

Needs no application or database: the arithmetic is pure.
"""
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
import pytest

from bibnet.tenants.budgets.cofinancing import (
    CoFinancingError,
    Split,
    round_down,
    round_half_up,
    share_of_contribution_for_amount,
    share_of_contribution_for_percentage,
    split,
    spread,
)

ERDF = Decimal("80")
HALF = share_of_contribution_for_percentage(Decimal("10"), ERDF)  # 10 % of the total is half the contribution


class TestTheProjectOfTheSeed:
    """124,562.30 = 99,649.84 ERDF + 12,456.23 state + 12,456.23 municipal, from three partner rows."""

    PARTNERS = {"Pasvalys": "52000.10", "Jelgava": "36281.10", "Augšdaugava": "36281.10"}

    def test_each_partner_row(self):
        assert split(Decimal("52000.10"), ERDF, [HALF]) == Split(Decimal("52000.10"), Decimal("41600.08"), (Decimal("5200.01"), Decimal("5200.01")))
        assert split(Decimal("36281.10"), ERDF, [HALF]) == Split(Decimal("36281.10"), Decimal("29024.88"), (Decimal("3628.11"), Decimal("3628.11")))

    def test_the_project_is_the_sum_of_its_partner_rows(self):
        rows = [split(Decimal(total), ERDF, [HALF]) for total in self.PARTNERS.values()]
        project = rows[0] + rows[1] + rows[2]
        assert project == Split(Decimal("124562.30"), Decimal("99649.84"), (Decimal("12456.23"), Decimal("12456.23")))


def test_a_project_total_can_differ_by_a_cent_from_its_partner_rows():
    """Jems' own example: the partners' truncated shares sum to a cent less than 80 % of the project."""
    rows = [split(Decimal(total), ERDF, [HALF]) for total in ("52000.15", "36281.08", "36281.07")]
    assert sum((row.fund for row in rows), Decimal(0)) == Decimal("99649.83")
    assert split(Decimal("124562.30"), ERDF, [HALF]).fund == Decimal("99649.84")


def test_the_last_source_takes_the_remainder():
    """Two sources of "10 %" each of 36,281.07: 3,628.10 and the remaining 3,628.12, not 3,628.10 twice."""
    row = split(Decimal("36281.07"), ERDF, [HALF])
    assert row.fund == Decimal("29024.85") and row.sources == (Decimal("3628.11"), Decimal("3628.11"))
    by_total = round_down(Fraction(Decimal("36281.07")) / 10)
    assert by_total == Decimal("3628.10") and row.contribution - by_total == Decimal("3628.12")


def test_a_source_given_as_an_amount_gets_exactly_that_amount_in_the_plan():
    plan = split(Decimal("52000.10"), ERDF, [HALF])
    exact = share_of_contribution_for_amount(Decimal("4000.00"), plan.contribution)
    assert split(Decimal("52000.10"), ERDF, [exact]).sources == (Decimal("4000.00"), Decimal("6400.02"))


def test_a_reported_amount_is_split_with_the_same_rules():
    reported = split(Decimal("10000.01"), ERDF, [HALF])
    assert (reported.fund, reported.sources) == (Decimal("8000.00"), (Decimal("1000.00"), Decimal("1000.01")))


def test_a_credit_note_is_split_towards_zero():
    assert split(Decimal("-100.05"), ERDF, [HALF]) == Split(Decimal("-100.05"), Decimal("-80.04"), (Decimal("-10.00"), Decimal("-10.01")))


@pytest.mark.parametrize("bad", [Decimal("10.001"), Decimal("0.005")])
def test_more_than_two_decimals_are_refused_not_rounded(bad):
    with pytest.raises(CoFinancingError):
        split(bad, ERDF, [HALF])


def test_sources_asking_for_more_than_the_contribution_are_refused():
    with pytest.raises(CoFinancingError):
        split(Decimal("100.00"), ERDF, [Fraction(3, 4), Fraction(1, 2)])


def test_rounding_helpers():
    assert round_down(Decimal("1851.8505")) == Decimal("1851.85")  # office 15 % of staff 12,345.67
    assert round_down(Decimal("-0.019")) == Decimal("-0.01")
    assert round_half_up(Decimal("0.125")) == Decimal("0.13") and round_half_up(Decimal("-0.125")) == Decimal("-0.13")


def test_spreading_over_periods_gives_the_last_period_the_remainder():
    assert spread(Decimal("100.00"), [Fraction(1)] * 3) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert spread(Decimal("10.00"), [Fraction(1), Fraction(3)]) == [Decimal("2.50"), Decimal("7.50")]


# --- Properties over random totals, rates and sources --------------------------------------------------

totals = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("999999999.99"), places=2)
signed_totals = st.decimals(min_value=Decimal("-999999.99"), max_value=Decimal("999999999.99"), places=2)
rates = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("100.00"), places=2)


@st.composite
def source_shares(draw):
    """0 to 4 sources before the last, as fractions adding up to at most 1."""
    weights = draw(st.lists(st.integers(min_value=0, max_value=10_000), min_size=0, max_size=4))
    rest = draw(st.integers(min_value=0, max_value=10_000))
    whole = sum(weights) + rest
    return [Fraction(weight, whole) for weight in weights] if whole else [Fraction(0)] * len(weights)


@given(total=totals, rate=rates, shares=source_shares())
def test_the_parts_add_up_exactly_and_none_is_negative(total, rate, shares):
    row = split(total, rate, shares)
    assert row.fund + sum(row.sources) == total
    assert row.fund >= 0 and all(part >= 0 for part in row.sources)
    assert all(part == part.quantize(Decimal("0.01")) for part in (row.fund, *row.sources))


@given(total=totals, rate=rates, shares=source_shares())
def test_the_fund_never_exceeds_the_rate_and_misses_it_by_less_than_a_cent(total, rate, shares):
    fund = split(total, rate, shares).fund
    exact = Fraction(total) * Fraction(rate) / 100
    assert Fraction(fund) <= exact < Fraction(fund) + Fraction(1, 100)


@given(total=signed_totals, rate=rates, shares=source_shares())
def test_every_part_has_the_sign_of_the_total(total, rate, shares):
    row = split(total, rate, shares)
    assert row.fund + sum(row.sources) == total
    assert all(part * total >= 0 for part in (row.fund, *row.sources))


@given(totals=st.lists(totals, min_size=1, max_size=50), rate=rates)
def test_a_project_sums_its_partner_rows(totals, rate):
    rows = [split(total, rate, [Fraction(1, 2)]) for total in totals]
    project = rows[0]
    for row in rows[1:]:
        project = project + row
    assert project.total == sum(row.total for row in rows)
    assert project.fund == sum(row.fund for row in rows)
    assert project.fund + sum(project.sources) == project.total


@given(total=totals, parts=st.integers(min_value=1, max_value=24))
def test_spread_parts_add_up_and_only_the_last_absorbs_the_cents(total, parts):
    shares = spread(total, [Fraction(1)] * parts)
    assert sum(shares) == total and len(shares) == parts
    assert all(share == shares[0] for share in shares[:-1]) and shares[-1] >= shares[0]


@given(partners=st.lists(st.tuples(totals, source_shares()), min_size=1, max_size=20), rate=rates)
def test_partners_with_different_numbers_of_sources_sum_by_position_and_still_add_up(partners, rate):
    rows = [split(total, rate, shares) for total, shares in partners]
    project = rows[0]
    for row in rows[1:]:
        project = project + row
    assert len(project.sources) == max(len(row.sources) for row in rows)
    assert project.fund + sum(project.sources) == project.total == sum(row.total for row in rows)
    for position, part in enumerate(project.sources):
        assert part == sum(row.sources[position] for row in rows if position < len(row.sources))
