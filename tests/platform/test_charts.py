"""The value axis of the server-drawn charts: round steps from 0 past the highest value, whole numbers."""
import pytest

from bibnet.web.charts import axis_ticks


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (9, [0, 5, 10]), (26281.10, [0, 10000, 20000, 30000]), (124562.30, [0, 50000, 100000, 150000])],
)
def test_ticks_are_round_steps_from_zero_past_the_highest_value(highest, ticks):
    assert axis_ticks(highest) == ticks
