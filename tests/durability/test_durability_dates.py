"""When a funded item's durability ends: the final payment date plus the project's years, 29 February landing on
28 February; before the final payment the durability has not started and only an estimate is known."""
from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from bibnet.tenants.inventory.durability.dates import durability_of, years_after

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))
years = st.integers(min_value=1, max_value=10)


def project(final_payment_on=None, years=5, ends_on=date(2026, 5, 31)):
    return SimpleNamespace(final_payment_on=final_payment_on, durability_years=years, ends_on=ends_on)


def test_the_end_is_the_final_payment_plus_five_years_by_default():
    assert durability_of(project(date(2026, 9, 15))).ends_on == date(2031, 9, 15)


def test_a_final_payment_on_29_february_ends_on_28_february():
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert years_after(date(2028, 2, 29), 4) == date(2032, 2, 29)  # a leap year again keeps the day


def test_without_a_final_payment_the_durability_has_not_started_and_the_estimate_counts_from_the_project_end():
    durability = durability_of(project(None, years=3))
    assert not durability.started and durability.ends_on is None
    assert durability.earliest_end == date(2029, 5, 31)
    assert durability.running_on(date(2099, 1, 1))  # not started: the item stays bound whatever the day


@given(days, years)
def test_the_end_is_never_late_and_at_most_a_day_early(day, count):
    end = years_after(day, count)
    assert end.year == day.year + count and end.month == day.month
    assert day.day - 1 <= end.day <= day.day


@given(days, years)
def test_the_item_is_bound_up_to_the_day_before_the_end_and_free_from_it(day, count):
    durability = durability_of(project(day, count))
    assert durability.running_on(durability.ends_on - timedelta(days=1))
    assert not durability.running_on(durability.ends_on)
