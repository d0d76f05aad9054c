"""Results of a run, hand-computed: % agreeing (4-5 over 1-5, "don't know" left out), n per area and item, before
and after, matched pairs, results across runs and partners."""
from decimal import Decimal

import sqlalchemy as sa
from survey_result_rows import answered, make_run

from bibnet.tenancy.context import partners_of, tenant_scope
from bibnet.tenants.surveys import results
from bibnet.tenants.surveys.models import Outcome, Phase, SurveyRun


def results_of(tenant, run):
    with tenant_scope(tenant):
        return results.run_results(run)


def area(run_results, outcome):
    return next(found for found in run_results.outcomes if found.outcome is outcome)


def test_percent_agreeing_counts_4_and_5_over_1_to_5_and_leaves_dont_know_out(world, room):
    run = make_run(world.jelgava, room)
    answered(world.jelgava, run, [
        {"wellbeing.calm": 5, "wellbeing.welcome": 4},
        {"wellbeing.calm": 4, "wellbeing.welcome": 2},
        {"wellbeing.calm": 3, "wellbeing.welcome": None},
        {"wellbeing.calm": 1, "wellbeing.welcome": 5},
        {"wellbeing.calm": None, "wellbeing.welcome": 4},
        {"wellbeing.calm": None, "wellbeing.welcome": None},  # only "don't know": not in n
    ])
    shown = results_of(world.jelgava, run)
    wellbeing = area(shown, Outcome.WELLBEING)
    assert shown.responses == 6
    # 8 ratings, 5 of them 4 or 5; 5 responses rated something
    assert (wellbeing.figure.n, wellbeing.figure.percent) == (5, Decimal("62.5"))
    calm, welcome = wellbeing.items
    assert (calm.key, calm.figure.n, calm.figure.percent) == ("wellbeing.calm", None, None)  # 4 ratings: hidden
    assert calm.figure.hidden and welcome.figure.hidden  # welcome (4 ratings) hidden too: rule 1
    assert [found.outcome for found in shown.outcomes] == [Outcome.WELLBEING]


def test_an_area_under_five_responses_is_hidden_with_its_percentage(world, room):
    run = make_run(world.jelgava, room)
    answered(world.jelgava, run, [{"knowledge.new": 5}] * 4 + [{"wellbeing.calm": 5}] * 6)
    shown = results_of(world.jelgava, run)
    knowledge, wellbeing = area(shown, Outcome.KNOWLEDGE), area(shown, Outcome.WELLBEING)
    assert (knowledge.figure.hidden, knowledge.figure.n, knowledge.figure.percent) == (True, None, None)
    assert (wellbeing.figure.n, wellbeing.figure.percent) == (6, Decimal("100.0"))


def test_one_small_item_hides_the_next_smallest_item_of_its_area_too(world, room):
    run = make_run(world.jelgava, room)
    answered(world.jelgava, run, [{"knowledge.new": 4, "knowledge.more": 4}] * 3 + [{"knowledge.new": 2}] * 6)
    knowledge = area(results_of(world.jelgava, run), Outcome.KNOWLEDGE)
    assert (knowledge.figure.n, knowledge.figure.percent) == (9, Decimal("50.0"))  # 6 of 12 ratings
    new, more = knowledge.items
    assert more.figure.hidden  # 3 ratings
    assert new.figure.hidden  # 9 ratings, but with the area shown it would give "more" away


def test_an_after_run_shows_the_change_against_its_before_run_and_the_matched_change(world, room):
    before = make_run(world.jelgava, room, phase=Phase.BEFORE, matched=True)
    after = make_run(world.jelgava, room, phase=Phase.AFTER, before=before, matched=True)
    # before: 6 responses, 2 of 6 agree (33.3 %); after: 5 responses, 4 of 5 agree (80 %)
    answered(world.jelgava, before, [{"wellbeing.calm": v, "_key": f"k{i}"} for i, v in enumerate([4, 5, 2, 3, 1, 3])])
    answered(world.jelgava, after, [{"wellbeing.calm": v, "_key": f"k{i}"} for i, v in enumerate([5, 5, 4, 4, 2])])
    comparison = results_of(world.jelgava, after).comparisons[0]
    assert comparison.outcome is Outcome.WELLBEING
    assert (comparison.before.percent, comparison.after.percent) == (Decimal("33.3"), Decimal("80.0"))
    assert comparison.change == Decimal("46.7")  # 80 - 33.333..., rounded once
    # pairs k0..k4: changes +1, 0, +2, +1, +1 → mean 1.00 over 5 pairs
    assert (comparison.pairs, comparison.matched_change) == (5, Decimal("1.00"))


def test_a_match_key_twice_in_a_run_is_no_pair_and_under_five_pairs_the_matched_change_is_hidden(world, room):
    before = make_run(world.jelgava, room, phase=Phase.BEFORE, matched=True)
    after = make_run(world.jelgava, room, phase=Phase.AFTER, before=before, matched=True)
    answered(world.jelgava, before, [{"wellbeing.calm": 2, "_key": key} for key in ("a", "b", "c", "d", "e", "e")])
    answered(world.jelgava, after, [{"wellbeing.calm": 4, "_key": key} for key in ("a", "b", "c", "d", "e", "f")])
    comparison = results_of(world.jelgava, after).comparisons[0]
    assert comparison.change == Decimal("100.0")
    assert (comparison.matched_hidden, comparison.pairs, comparison.matched_change) == (True, None, None)  # 4 pairs


def test_a_change_is_hidden_when_either_side_is(world, room):
    before = make_run(world.jelgava, room, phase=Phase.BEFORE)
    after = make_run(world.jelgava, room, phase=Phase.AFTER, before=before)
    answered(world.jelgava, before, [{"wellbeing.calm": 2}] * 3)
    answered(world.jelgava, after, [{"wellbeing.calm": 5}] * 8)
    comparison = results_of(world.jelgava, after).comparisons[0]
    assert comparison.before.hidden and not comparison.after.hidden
    assert (comparison.change_hidden, comparison.change) == (True, None)


def test_results_across_runs_leave_before_runs_out(world, room):
    before = make_run(world.jelgava, room, phase=Phase.BEFORE)
    after = make_run(world.jelgava, room, phase=Phase.AFTER, before=before)
    single = make_run(world.jelgava, room)
    answered(world.jelgava, before, [{"wellbeing.calm": 1}] * 10)
    answered(world.jelgava, after, [{"wellbeing.calm": 5}] * 6)
    answered(world.jelgava, single, [{"wellbeing.calm": 2}] * 4)
    with tenant_scope(world.jelgava):
        runs = [before, after, single]
        shown = results.overview(runs, SurveyRun.room_id == room.id)
    # 4 hidden, and 6 with it: the total 20 and the 10 would give the 4 away
    assert ([run.responses for run in shown.runs], shown.responses) == ([10, None, None], 20)
    wellbeing = shown.outcomes[0]
    assert (wellbeing.figure.n, wellbeing.figure.percent) == (10, Decimal("60.0"))  # after and single: 6 of 10


def test_the_project_shows_each_partner_with_small_ones_and_the_next_smallest_hidden(world, make_room):
    jelgava_room, pasvalys_room = make_room(world.jelgava), make_room(world.pasvalys)
    jelgava_run, pasvalys_run = make_run(world.jelgava, jelgava_room), make_run(world.pasvalys, pasvalys_room)
    answered(world.jelgava, jelgava_run, [{"wellbeing.calm": 5}] * 3)
    answered(world.pasvalys, pasvalys_run, [{"wellbeing.calm": 4}] * 7 + [{"wellbeing.calm": 2}] * 3)
    partners = [(world.pasvalys.id, "LP1", "Pasvalys"), (world.jelgava.id, "PP2", "Jelgava")]
    with partners_of(world.project, reason="test"):
        shown = results.project_results(partners)
    wellbeing = shown.outcomes[Outcome.WELLBEING]
    assert (wellbeing.n, wellbeing.percent) == (13, Decimal("76.9"))  # 10 of 13
    assert [row.outcomes[Outcome.WELLBEING].hidden for row in shown.partners] == [True, True]
    assert [row.responses for row in shown.partners] == [None, None] and shown.responses == 13


def test_a_librarys_results_read_its_own_runs_only(world, room, make_room):
    """The library overview selects every run (no condition of its own): the tenant guard keeps others' out."""
    ours, theirs = make_run(world.jelgava, room), make_run(world.pasvalys, make_room(world.pasvalys))
    answered(world.jelgava, ours, [{"wellbeing.calm": 5}] * 5)
    answered(world.pasvalys, theirs, [{"wellbeing.calm": 1, "knowledge.new": 1}] * 7)
    with tenant_scope(world.jelgava):
        shown = results.overview([ours], sa.true())
    assert shown.responses == 5
    assert [(area.outcome, area.figure.n, area.figure.percent) for area in shown.outcomes] == [(Outcome.WELLBEING, 5, Decimal("100.0"))]
