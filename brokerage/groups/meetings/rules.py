"""General meetings' rules, pure: when a vote passes, and how many members make a quorum."""

import math


def passes(votes_for: int, votes_against: int, threshold: str = "two_thirds") -> bool:
    """Two-thirds (or three-quarters) of those present and voting: abstentions are not votes."""
    voting = votes_for + votes_against
    numerator, denominator = (3, 4) if threshold == "three_quarters" else (2, 3)
    return voting > 0 and votes_for * denominator >= numerator * voting


def quorum_needed(choices: dict, members: int) -> int:
    return max(choices["quorum_minimum"], math.ceil(members / choices["quorum_fraction"]))
