"""General meetings' rules: when a vote passes and what makes a quorum (pure functions)."""
from brokerage.groups.meetings.rules import passes, quorum_needed


def test_two_thirds_of_those_present_and_voting_ignores_abstentions():
    assert passes(4, 2)
    assert not passes(3, 2)
    assert passes(2, 1)
    assert not passes(0, 0)
    assert not passes(7, 3, "three_quarters")


def test_quorum_is_the_greater_of_five_or_a_third_of_members():
    assert quorum_needed({"quorum_minimum": 5, "quorum_fraction": 3}, 9) == 5
    assert quorum_needed({"quorum_minimum": 5, "quorum_fraction": 3}, 30) == 10
