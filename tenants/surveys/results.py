"""Results of the impact surveys: % agreeing per outcome area and item, with n, the change between a "before"
and an "after" run, and the suppression of small numbers.

Counting rules
- An answer "agrees" when it is 4 or 5 on the five-point scale. % agreeing = answers 4-5 over answers 1-5;
  an item left blank or answered "I don't know" (value None) is neither agreeing nor disagreeing: it is left
  out of both. Percentages are Decimals rounded half up to one decimal, from the exact counts.
- n of an outcome area = the responses that rated (1-5) at least one item of that area; n of an item = the
  responses that rated it. A response that only said "I don't know" to an area does not count in its n.
- A run's results read its own responses. Results across runs (a programme, room or course; a library; a
  project's partners) read every run except "before" runs: a before run measures where people started, not
  the outcome, and shows in the before/after comparison of its after run instead.
- Before/after: for an after run, the change in % agreeing per area is after minus before, in percentage
  points, from the exact counts. Where the runs are matched, a participant's score for an area is the mean of
  their ratings of its items in that run; a pair is a match key found once in the before run and once in the
  after run (a key found twice in one run is ambiguous and left out), with a score in both; the matched
  change is the mean of (after score - before score) over the pairs, rounded half up to two decimals (the
  scores are means, computed in SQL as floating point; only the final mean is rounded).

Suppression rules (what a page, an export or the API shows; `suppress` applies them)
1. Primary: a figure based on fewer than 5 responses (n from 1 to 4) is hidden: its n and its percentage.
   Zero is shown (nothing to protect, and no percentage).
2. Secondary: when a row of cells is shown with its total (partners with the project's total, items with
   their area, runs with the library's total), the hidden cells must not be recoverable by subtraction: if
   any cell is hidden, at least two are, their sum is 5 or more, and it is larger than the number of hidden
   cells (so no hidden cell's value is the only one possible, all hidden cells being at least 1). Until that
   holds, the smallest shown non-zero cell is hidden too; when none is left, the total is hidden.
3. Every hidden cell shows the same mark (`SUPPRESSED`), whether hidden for itself or to protect another:
   different marks would tell a reader which cells are below 5.
4. A change between before and after is shown only when both sides are shown; a matched change only when it
   rests on 5 pairs or more.
Known limit: the rules protect against a reader of the tables alone. Someone who also knows one partner's own
figures (a project lead who is that partner's coordinator too) can subtract them as well; with only two partners
and one of them hidden, that person learns the other. The lead's role gives no access to a partner's own pages.

All figures come from a few grouped queries whatever the number of responses (`aggregate`: two statements).
"""
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from bibnet.extensions import db
from bibnet.tenants.surveys.models import Outcome, Phase, SurveyAnswer, SurveyItem, SurveyResponse, SurveyRun

MIN_RESPONSES = 5
AGREEING_FROM = 4  # 4 agree, 5 strongly agree
SUPPRESSED = "suppressed"  # the mark of a hidden figure in the API and the exports (pages translate it)
OUTCOMES = tuple(Outcome)

ONE_DECIMAL, TWO_DECIMALS = Decimal("0.1"), Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP) if whole else None


def is_small(count: int) -> bool:
    return 0 < count < MIN_RESPONSES


# --- suppression ----------------------------------------------------------------------------------------------


def _recoverable(hidden_values: list[int]) -> bool:
    """Whether hidden cells (each at least 1) could be worked out from their sum: one cell alone, a sum below 5,
    or a sum that leaves every cell at 1."""
    if not hidden_values:
        return False
    total = sum(hidden_values)
    return len(hidden_values) < 2 or total < MIN_RESPONSES or total <= len(hidden_values)


def suppress(cells: Sequence[int], total: int | None = None) -> tuple[list[bool], bool]:
    """Which `cells` are hidden, and whether the `total` shown with them is (None: no total is shown).
    Rules 1 and 2 of the module docstring."""
    hidden = [is_small(count) for count in cells]
    if total is None:
        return hidden, False
    if is_small(total):
        return hidden, True
    while _recoverable([count for count, is_hidden in zip(cells, hidden, strict=True) if is_hidden]):
        shown = [index for index, count in enumerate(cells) if not hidden[index] and count > 0]
        if not shown:
            return hidden, True
        hidden[min(shown, key=lambda index: (cells[index], index))] = True
    return hidden, False


# --- tallies --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    responses: int = 0  # n
    answers: int = 0  # ratings 1..5
    agreeing: int = 0  # ratings 4..5

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.responses + other.responses, self.answers + other.answers, self.agreeing + other.agreeing)

    @property
    def percent_agreeing(self) -> Decimal | None:
        return percent(self.agreeing, self.answers)


@dataclass(frozen=True)
class Shown:
    """A figure as shown: n and % agreeing, or hidden (both None and `hidden` true)."""

    n: int | None
    percent: Decimal | None
    hidden: bool

    @classmethod
    def of(cls, tally: Tally, hidden: bool) -> "Shown":
        return cls(None, None, True) if hidden else cls(tally.responses, tally.percent_agreeing, False)

    def n_or_mark(self):
        return SUPPRESSED if self.hidden else self.n

    def percent_or_mark(self):
        return SUPPRESSED if self.hidden else self.percent


@dataclass
class ItemTally:
    item_id: int
    key: str
    position: int
    tally: Tally


@dataclass
class OutcomeTally:
    outcome: Outcome
    tally: Tally = field(default_factory=Tally)
    items: list[ItemTally] = field(default_factory=list)


@dataclass
class GroupTally:
    """The responses of one group (a run, a subject, a library...) and its tallies per outcome area."""

    responses: int = 0
    outcomes: dict[Outcome, OutcomeTally] = field(default_factory=dict)

    def outcome(self, outcome: Outcome) -> Tally:
        found = self.outcomes.get(outcome)
        return found.tally if found else Tally()


def responses_per(group_key, *conditions) -> dict[object, int]:
    """Responses per value of `group_key` over the runs matching `conditions`: one grouped query, answers unread."""
    statement = (
        sa.select(group_key, sa.func.count(SurveyResponse.id))
        .select_from(SurveyResponse)
        .join(SurveyRun, SurveyRun.id == SurveyResponse.run_id)
        .where(*conditions)
        .group_by(group_key)
    )
    return dict(db.session.execute(statement).all())


def aggregate(group_key, *conditions) -> dict[object, GroupTally]:
    """Tallies per value of `group_key` (a column of SurveyRun: its id, tenant_id, programme_id...) over the runs
    matching `conditions`, read through the tenant guard. Two statements: ratings and responses per item and per
    area (one pass over the answers on PostgreSQL), and responses per group."""
    rated = SurveyAnswer.value.is_not(None)
    agreeing = sa.func.sum(sa.case((SurveyAnswer.value >= AGREEING_FROM, 1), else_=0))
    answers_of_runs = (
        sa.select()
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyRun, SurveyRun.id == SurveyResponse.run_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(rated, *conditions)
    )
    item_columns = (SurveyItem.id, SurveyItem.key, SurveyItem.position)
    counts = (sa.func.count(SurveyAnswer.id), agreeing, sa.func.count(sa.distinct(SurveyAnswer.response_id)))
    if db.session.get_bind().dialect.name == "postgresql":
        # one pass over the answers: per item, and per area (the rows without an item)
        per_item_and_area = answers_of_runs.add_columns(group_key, SurveyItem.outcome, *item_columns, *counts).group_by(
            sa.func.grouping_sets(sa.tuple_(group_key, SurveyItem.outcome, *item_columns), sa.tuple_(group_key, SurveyItem.outcome))
        )
    else:  # SQLite has no grouping sets: two passes in one statement
        no_item = (sa.null(), sa.null(), sa.null())
        per_item_and_area = sa.union_all(
            answers_of_runs.add_columns(group_key, SurveyItem.outcome, *item_columns, *counts).group_by(group_key, SurveyItem.outcome, *item_columns),
            answers_of_runs.add_columns(group_key, SurveyItem.outcome, *no_item, *counts).group_by(group_key, SurveyItem.outcome),
        )
    groups: dict[object, GroupTally] = defaultdict(GroupTally)
    for key, count in responses_per(group_key, *conditions).items():
        groups[key].responses = count
    responses_per_outcome = {}
    for key, outcome, item_id, item_key, position, answers, agreeing_answers, responses in db.session.execute(per_item_and_area):
        outcome = Outcome(outcome)
        if item_id is None:
            responses_per_outcome[key, outcome] = responses
            continue
        found = groups[key].outcomes.setdefault(outcome, OutcomeTally(outcome))
        found.items.append(ItemTally(item_id, item_key, position, Tally(answers, answers, int(agreeing_answers or 0))))
    for key, group in groups.items():
        for outcome, found in group.outcomes.items():
            found.items.sort(key=lambda item: (item.position, item.key))
            summed = sum((item.tally for item in found.items), Tally())
            found.tally = Tally(responses_per_outcome.get((key, outcome), 0), summed.answers, summed.agreeing)
    return dict(groups)


def outcome_results(runs_condition) -> GroupTally:
    """One group over the runs matching `runs_condition`, before runs left out (see the module docstring)."""
    return merged(aggregate(SurveyRun.tenant_id, runs_condition, SurveyRun.phase != Phase.BEFORE).values())


def merged(groups) -> GroupTally:
    """Groups of different tenants summed: a response belongs to one tenant, so every count adds up."""
    total = GroupTally()
    for group in groups:
        total.responses += group.responses
        for outcome, found in group.outcomes.items():
            into = total.outcomes.setdefault(outcome, OutcomeTally(outcome))
            into.tally = into.tally + found.tally
            items = {item.item_id: item for item in into.items}
            for item in found.items:
                if item.item_id in items:
                    items[item.item_id].tally = items[item.item_id].tally + item.tally
                else:
                    into.items.append(ItemTally(item.item_id, item.key, item.position, item.tally))
            into.items.sort(key=lambda item: (item.position, item.key))
    return total


# --- shown, suppressed ----------------------------------------------------------------------------------------


@dataclass
class ShownItem:
    key: str
    figure: Shown


@dataclass
class ShownOutcome:
    outcome: Outcome
    figure: Shown
    items: list[ShownItem]


def shown_outcomes(group: GroupTally) -> list[ShownOutcome]:
    """The areas with any rating, in their order, each with its items; items are cells of their area (rule 2)."""
    shown = []
    for outcome in OUTCOMES:
        found = group.outcomes.get(outcome)
        if found is None:
            continue
        items_hidden, outcome_hidden = suppress([item.tally.responses for item in found.items], found.tally.responses)
        shown.append(
            ShownOutcome(
                outcome,
                Shown.of(found.tally, outcome_hidden),
                [ShownItem(item.key, Shown.of(item.tally, hidden)) for item, hidden in zip(found.items, items_hidden, strict=True)],
            )
        )
    return shown


@dataclass
class Comparison:
    """One outcome area of an after run against its before run."""

    outcome: Outcome
    before: Shown
    after: Shown
    change: Decimal | None  # percentage points; None when hidden or without answers on a side
    change_hidden: bool
    pairs: int | None  # None when hidden
    matched_change: Decimal | None
    matched_hidden: bool


@dataclass
class Pairs:
    count: int = 0
    change_sum: Decimal = Decimal(0)

    @property
    def mean(self) -> Decimal | None:
        return (self.change_sum / self.count).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP) if self.count else None


def matched_pairs(before_run_id: int, after_run_id: int) -> dict[Outcome, Pairs]:
    """Per area, the pairs of a before and an after response with the same match key, and the sum of their score
    changes. One statement of three nested groupings (scores per key, area and run; both runs' scores per key and
    area; pairs per area), and no join of the scores with themselves: planners misjudge such a join badly."""
    scores = (
        sa.select(
            SurveyResponse.match_key.label("match_key"),
            SurveyItem.outcome.label("outcome"),
            SurveyResponse.run_id.label("run_id"),
            # one response with the key in the run, or several (ambiguous): no DISTINCT, which needs a sort
            (sa.func.min(SurveyResponse.id) == sa.func.max(SurveyResponse.id)).label("alone"),
            (sa.func.sum(SurveyAnswer.value) * 1.0 / sa.func.count(SurveyAnswer.value)).label("score"),
        )
        .select_from(SurveyAnswer)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
        .where(SurveyResponse.run_id.in_((before_run_id, after_run_id)), SurveyResponse.match_key.is_not(None), SurveyAnswer.value.is_not(None))
        .group_by(SurveyResponse.match_key, SurveyItem.outcome, SurveyResponse.run_id)
        .subquery("scores")
    )

    def of_run(run_id, column):
        # a key used twice in one run cannot be paired: its score there is left empty
        return sa.func.max(sa.case((sa.and_(scores.c.run_id == run_id, scores.c.alone), column)))

    both = (
        sa.select(scores.c.outcome.label("outcome"), of_run(before_run_id, scores.c.score).label("before"), of_run(after_run_id, scores.c.score).label("after"))
        .group_by(scores.c.match_key, scores.c.outcome)
        .subquery("both_runs")
    )
    paired = (
        sa.select(both.c.outcome, sa.func.count(), sa.func.sum(both.c.after - both.c.before))
        .where(both.c.before.is_not(None), both.c.after.is_not(None))
        .group_by(both.c.outcome)
    )
    return {
        Outcome(outcome): Pairs(count, Decimal(str(change_sum)))  # the scores are means: floats, rounded once at the end
        for outcome, count, change_sum in db.session.execute(paired)
    }


def compare(before: GroupTally, after: GroupTally, pairs: dict[Outcome, Pairs]) -> list[Comparison]:
    """Rule 4: a change shows only when both sides show; a matched change only on 5 pairs or more."""
    comparisons = []
    for outcome in OUTCOMES:
        if outcome not in before.outcomes and outcome not in after.outcomes:
            continue
        before_tally, after_tally = before.outcome(outcome), after.outcome(outcome)
        before_shown, after_shown = Shown.of(before_tally, is_small(before_tally.responses)), Shown.of(after_tally, is_small(after_tally.responses))
        change_hidden = before_shown.hidden or after_shown.hidden
        change = None
        if not change_hidden and before_tally.answers and after_tally.answers:
            exact = Decimal(after_tally.agreeing * 100) / after_tally.answers - Decimal(before_tally.agreeing * 100) / before_tally.answers
            change = exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        matched = pairs.get(outcome, Pairs())
        matched_hidden = is_small(matched.count)
        comparisons.append(
            Comparison(
                outcome, before_shown, after_shown, change, change_hidden,
                None if matched_hidden else matched.count, None if matched_hidden else matched.mean, matched_hidden,
            )
        )
    return comparisons


# --- a run, a set of runs, a project --------------------------------------------------------------------------


@dataclass
class RunResults:
    run: SurveyRun
    responses: int
    responses_hidden: bool
    outcomes: list[ShownOutcome]
    comparisons: list[Comparison] | None  # for an after run with its before run


def run_results(run: SurveyRun) -> RunResults:
    """A run's results; an after run's also against its before run (and matched pairs when the runs are matched).
    Bounded: three queries for the runs' tallies, one for the pairs."""
    before_id = run.before_run_id if run.phase == Phase.AFTER else None
    run_ids = [run.id] + ([before_id] if before_id else [])
    tallies = aggregate(SurveyRun.id, SurveyRun.id.in_(run_ids))
    own = tallies.get(run.id, GroupTally())
    comparisons = None
    if before_id:
        pairs = matched_pairs(before_id, run.id) if run.matched else {}
        comparisons = compare(tallies.get(before_id, GroupTally()), own, pairs)
    return RunResults(run, own.responses, is_small(own.responses), shown_outcomes(own), comparisons)


@dataclass
class ShownRun:
    run: SurveyRun
    responses: int | None  # None when hidden


@dataclass
class Overview:
    """Runs (of a subject or a library) with their responses and the total, and the results across them."""

    runs: list[ShownRun]
    responses: int | None  # the total, None when hidden
    outcomes: list[ShownOutcome]


def overview(runs: list[SurveyRun], runs_condition) -> Overview:
    """`runs` are the runs that `runs_condition` selects, already loaded (for their titles and links)."""
    counts = responses_per(SurveyRun.id, runs_condition) if runs else {}
    cells = [counts.get(run.id, 0) for run in runs]
    hidden, total_hidden = suppress(cells, sum(cells))
    return Overview(
        [ShownRun(run, None if is_hidden else count) for run, count, is_hidden in zip(runs, cells, hidden, strict=True)],
        None if total_hidden else sum(cells),
        shown_outcomes(outcome_results(runs_condition)) if runs else [],
    )


@dataclass
class PartnerRow:
    code: str
    name: str
    responses: int | None
    outcomes: dict[Outcome, Shown]


@dataclass
class ProjectResults:
    partners: list[PartnerRow]
    responses: int | None
    outcomes: dict[Outcome, Shown]  # the project's totals per area
    areas: list[Outcome]  # the areas with any rating


def project_results(partners: list[tuple[int, str, str]]) -> ProjectResults:
    """`partners`: (tenant id, code, name) in the project's order; to be called inside `partners_of(project)`.
    Each area is a row of partner cells with the project's total (rule 2), and so are the responses."""
    tallies = aggregate(SurveyRun.tenant_id, SurveyRun.phase != Phase.BEFORE)
    groups = [tallies.get(tenant_id, GroupTally()) for tenant_id, _code, _name in partners]
    areas = [outcome for outcome in OUTCOMES if any(outcome in group.outcomes for group in groups)]
    response_cells = [group.responses for group in groups]
    responses_hidden, total_responses_hidden = suppress(response_cells, sum(response_cells))
    by_area: dict[Outcome, tuple[list[bool], bool, Tally]] = {}
    for outcome in areas:
        cells = [group.outcome(outcome) for group in groups]
        hidden, total_hidden = suppress([cell.responses for cell in cells], sum(cell.responses for cell in cells))
        by_area[outcome] = (hidden, total_hidden, sum(cells, Tally()))
    rows = [
        PartnerRow(
            code, name, None if responses_hidden[index] else groups[index].responses,
            {outcome: Shown.of(groups[index].outcome(outcome), by_area[outcome][0][index]) for outcome in areas},
        )
        for index, (_tenant_id, code, name) in enumerate(partners)
    ]
    totals = {outcome: Shown.of(by_area[outcome][2], by_area[outcome][1]) for outcome in areas}
    return ProjectResults(rows, None if total_responses_hidden else sum(response_cells), totals, areas)
