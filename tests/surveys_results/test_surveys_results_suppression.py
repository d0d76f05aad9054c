"""Suppression, as properties over any row of counts with its total: no figure under 5 is shown, and no hidden
figure can be worked out by subtracting the shown ones from the total."""
from hypothesis import given
from hypothesis import strategies as st

from bibnet.tenants.surveys.results import MIN_RESPONSES, suppress

counts = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8)


def possible_values(hidden: list[int], total_of_hidden: int) -> list[set[int]]:
    """Every value each hidden cell could take, knowing only that each is at least 1 and what they sum to."""
    k = len(hidden)
    return [set(range(1, total_of_hidden - (k - 1) + 1)) for _ in hidden]


@given(counts)
def test_no_shown_cell_or_total_is_based_on_fewer_than_5(cells):
    hidden, total_hidden = suppress(cells, sum(cells))
    assert all(not 0 < count < MIN_RESPONSES for count, is_hidden in zip(cells, hidden, strict=True) if not is_hidden)
    assert total_hidden or not 0 < sum(cells) < MIN_RESPONSES


@given(counts)
def test_no_hidden_cell_can_be_recovered_from_the_total_and_the_shown_cells(cells):
    hidden, total_hidden = suppress(cells, sum(cells))
    if total_hidden:
        return
    hidden_cells = [count for count, is_hidden in zip(cells, hidden, strict=True) if is_hidden]
    if not hidden_cells:
        return
    recovered_sum = sum(cells) - sum(count for count, is_hidden in zip(cells, hidden, strict=True) if not is_hidden)
    assert recovered_sum >= MIN_RESPONSES  # the hidden cells together are no small group either
    assert all(count > 0 for count in hidden_cells)  # a hidden zero would be a hint, never a protection
    assert all(len(values) >= 2 for values in possible_values(hidden_cells, recovered_sum))


@given(counts)
def test_without_a_total_only_the_small_cells_are_hidden(cells):
    hidden, total_hidden = suppress(cells)
    assert hidden == [0 < count < MIN_RESPONSES for count in cells] and not total_hidden


@given(counts, st.integers(min_value=0, max_value=200))
def test_a_total_that_is_no_sum_still_protects_its_cells(cells, extra):
    """Items of an area: the area's n is at least its largest item's, not their sum."""
    total = max(cells) + extra
    hidden, total_hidden = suppress(cells, total)
    shown_hidden = [count for count, is_hidden in zip(cells, hidden, strict=True) if is_hidden]
    assert total_hidden or not shown_hidden or (len(shown_hidden) >= 2 and sum(shown_hidden) >= MIN_RESPONSES)


def test_examples():
    assert suppress([3, 20, 40], 63) == ([True, True, False], False)  # the next smallest goes too
    assert suppress([3, 0, 0], 3) == ([True, False, False], True)
    assert suppress([3, 0, 10], 13) == ([True, False, True], False)
    assert suppress([1, 1, 1, 1, 1, 9], 14) == ([True] * 6, False)  # five ones summing to 5 would each be 1
    assert suppress([4, 4], 8) == ([True, True], False)
    assert suppress([4, 0], 4) == ([True, False], True)
    assert suppress([], 0) == ([], False)
