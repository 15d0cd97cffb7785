"""The quorum and decision rules (pure functions), table-driven; early close checked against
every possible way the remaining members could act, by brute force."""
from datetime import datetime, timedelta, timezone
from itertools import product

import pytest

from brokerage.collectives.voting.rules import (DEFAULT_RULES, Choice, Count, Group, Outcome, Remaining, RuleSet,
                                                check_window, count_votes, decide, outcome_settled, quorum_needed,
                                                reminder_due, reminder_due_at)
from brokerage.errors import RuleViolation

L, C, S, O = "lived_experience", "carer", "trust_staff", "community"


def votes(*pairs):
    return count_votes([(constituency, choice) for constituency, choice in pairs])


@pytest.mark.parametrize("eligible, needed", [(0, 3), (1, 3), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (20, 10)])
def test_quorum_is_at_least_three_or_half_of_eligible_members_rounded_up(eligible, needed):
    assert quorum_needed(DEFAULT_RULES, eligible) == needed


CASES = [
    # name, eligible, votes, earlier deferrals, outcome
    ("approved_when_quorate_and_more_support", 6, [(L, "support"), (O, "support"), (S, "oppose")], 0,
     Outcome.APPROVED),
    ("too_few_votes_defers", 10, [(L, "support"), (O, "support"), (C, "support"), (O, "support")], 0,
     Outcome.DEFERRED),
    ("no_lived_experience_or_carer_vote_defers", 4, [(O, "support"), (O, "support"), (S, "support")], 0,
     Outcome.DEFERRED),
    ("staff_more_than_half_of_votes_defers", 6, [(L, "support"), (S, "support"), (S, "support"), (S, "oppose")],
     0, Outcome.DEFERRED),
    ("staff_exactly_half_of_votes_is_quorate", 6, [(L, "support"), (O, "support"), (S, "support"),
                                                   (S, "oppose")], 0, Outcome.APPROVED),
    ("abstain_counts_for_quorum_not_result", 6, [(L, "support"), (O, "support"), (C, "abstain")], 0,
     Outcome.APPROVED),
    ("abstentions_alone_do_not_approve", 6, [(L, "abstain"), (O, "abstain"), (C, "support")], 0,
     Outcome.DEFERRED),
    ("tie_defers_never_broken", 6, [(L, "support"), (O, "oppose"), (C, "abstain"), (O, "support"), (C, "oppose")],
     0, Outcome.DEFERRED),
    ("one_support_is_not_enough", 6, [(L, "support"), (O, "abstain"), (C, "abstain")], 0, Outcome.DEFERRED),
    ("more_opposition_is_not_approved", 6, [(L, "oppose"), (O, "oppose"), (C, "support")], 0,
     Outcome.NOT_APPROVED),
    ("second_deferral_is_not_approved", 6, [(L, "support"), (O, "oppose")], 1, Outcome.NOT_APPROVED),
    ("second_tie_is_not_approved", 6, [(L, "support"), (O, "oppose"), (C, "support"), (C, "oppose")], 1,
     Outcome.NOT_APPROVED),
    ("approval_after_a_deferral", 6, [(L, "support"), (O, "support"), (C, "abstain")], 1, Outcome.APPROVED),
]


@pytest.mark.parametrize("name, eligible, cast, deferrals, expected", CASES, ids=[case[0] for case in CASES])
def test_decision_rules(name, eligible, cast, deferrals, expected):
    decision = decide(DEFAULT_RULES, eligible, votes(*cast), deferrals)
    assert decision.outcome is expected
    assert decision.reasons


def test_reasons_say_why_a_vote_was_not_quorate_in_plain_words():
    decision = decide(DEFAULT_RULES, 6, votes((O, "support"), (S, "support"), (S, "support")), 0)
    assert "No vote came from a member with lived experience or a carer." in decision.reasons
    assert any("Trust staff cast 2 of the 3 votes" in reason for reason in decision.reasons)


def test_a_collective_can_set_its_own_rules():
    strict = RuleSet(quorum_minimum=5, support_minimum=3, require_lived_or_carer=False)
    three = votes((O, "support"), (O, "support"), (O, "support"), (O, "oppose"))
    assert decide(strict, 6, three, 0).outcome is Outcome.DEFERRED
    assert decide(strict, 6, three.plus(Group.OTHER, Choice.SUPPORT), 0).outcome is Outcome.APPROVED


def test_early_close_when_everyone_eligible_has_voted():
    assert outcome_settled(DEFAULT_RULES, 3, votes((L, "support"), (O, "oppose"), (C, "abstain")), Remaining(), 0)


def test_no_early_close_while_remaining_votes_could_change_the_outcome():
    count = votes((L, "support"), (O, "support"), (C, "support"))
    assert not outcome_settled(DEFAULT_RULES, 6, count, Remaining(other=3), 0)


def test_early_close_when_remaining_votes_cannot_change_the_outcome():
    count = votes((L, "support"), (O, "support"), (C, "support"), (O, "support"))
    assert outcome_settled(DEFAULT_RULES, 6, count, Remaining(other=2), 0)


def test_remaining_trust_staff_votes_can_still_break_the_staff_balance():
    count = votes((L, "support"), (O, "support"), (S, "support"), (O, "support"))
    assert not outcome_settled(DEFAULT_RULES, 8, count, Remaining(staff=4), 0)


def _brute_force_settled(rules, eligible, count, remaining, deferrals):
    people = ([Group.LIVED_OR_CARER] * remaining.lived_or_carer + [Group.TRUST_STAFF] * remaining.staff
              + [Group.OTHER] * remaining.other)
    now = decide(rules, eligible, count, deferrals).outcome
    for actions in product([*Choice, "none", "recuse"], repeat=len(people)):
        later, size = count, eligible
        for group, action in zip(people, actions):
            if action == "recuse":
                size -= 1
            elif action != "none":
                later = later.plus(group, action)
        if decide(rules, size, later, deferrals).outcome is not now:
            return False
    return True


def test_early_close_matches_every_possible_way_the_remaining_members_could_act():
    """Compares the quick check with all 5^n ways n remaining members could act."""
    checked = 0
    for support, oppose, abstain, lived, staff in product(range(4), range(4), range(2), range(3), range(3)):
        cast = support + oppose + abstain
        if lived + staff > cast:
            continue
        count = Count(support, oppose, abstain, lived, staff)
        for rem in product(range(2), range(3), range(2)):
            remaining = Remaining(*rem)
            eligible = cast + remaining.total
            for deferrals in (0, 1):
                expected = _brute_force_settled(DEFAULT_RULES, eligible, count, remaining, deferrals)
                assert outcome_settled(DEFAULT_RULES, eligible, count, remaining, deferrals) == expected, \
                    (count, remaining, deferrals)
                checked += 1
    assert checked > 1000


OPENED = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("hours, allowed", [(47, False), (48, True), (100, True), (168, True), (169, False)])
def test_voting_window_is_at_least_48_hours_and_at_most_7_days(hours, allowed):
    closes = OPENED + timedelta(hours=hours)
    if allowed:
        check_window(DEFAULT_RULES, OPENED, closes)
    else:
        with pytest.raises(RuleViolation):
            check_window(DEFAULT_RULES, OPENED, closes)


def test_a_rule_set_that_could_not_work_is_refused():
    with pytest.raises(RuleViolation) as error:
        RuleSet(min_window_hours=72, max_window_hours=48).check()
    assert error.value.field == "max_window_hours"
    RuleSet().check()


def test_the_reminder_is_due_24_hours_before_a_vote_of_48_hours_or_more_closes():
    opened = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
    assert reminder_due_at(opened, opened + timedelta(days=3)) == opened + timedelta(days=2)
    assert reminder_due_at(opened, opened + timedelta(hours=48)) == opened + timedelta(hours=24)


def test_the_reminder_of_a_window_shorter_than_48_hours_is_due_half_way_through():
    opened = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
    assert reminder_due_at(opened, opened + timedelta(hours=36)) == opened + timedelta(hours=18)
    assert reminder_due_at(opened, opened + timedelta(hours=24)) == opened + timedelta(hours=12)


def test_the_reminder_is_due_from_its_time_until_the_vote_closes():
    opened = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
    closes = opened + timedelta(days=3)
    assert not reminder_due(opened, closes, closes - timedelta(hours=24, seconds=1))
    assert reminder_due(opened, closes, closes - timedelta(hours=24))
    assert reminder_due(opened, closes, closes - timedelta(seconds=1))
    assert not reminder_due(opened, closes, closes)


def test_each_members_comment_is_one_question_for_the_partner_even_over_several_lines():
    from brokerage.collectives.voting.rules import split_questions
    assert split_questions("- Who runs it?\n- Is it step-free?\nThe lift was broken.\n") == [
        "Who runs it?", "Is it step-free?\nThe lift was broken."]
    assert split_questions("") == []
