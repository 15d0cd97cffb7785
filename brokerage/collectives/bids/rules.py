"""The match rule as a pure function: no database, no clock.

    award = min(amount requested, ratio x confirmed partner funds, per-bid cap, available money)

Pledged partner money is not counted: only lines confirmed or received (the caller sums
them). Everything is integer pence; the ratio is applied with whole-penny rounding down, so
the award never exceeds the rule.
"""

from dataclasses import dataclass
from enum import StrEnum


class Limit(StrEnum):
    REQUESTED = "requested"
    MATCH = "match"
    CAP = "cap"
    AVAILABLE = "available"


@dataclass(frozen=True)
class Ratio:
    numerator: int = 1
    denominator: int = 1

    def __post_init__(self):
        if self.numerator < 0 or self.denominator <= 0:
            raise ValueError("a match ratio needs a numerator of 0 or more and a denominator above 0")

    def of(self, pence: int) -> int:
        return pence * self.numerator // self.denominator

    @property
    def label(self) -> str:
        """'1:1' reads as '£1 of match for every £1 of confirmed partner money'."""
        return f"{self.numerator}:{self.denominator}"


@dataclass(frozen=True)
class MatchFigures:
    requested: int
    confirmed_funds: int
    ratio: Ratio
    match_limit: int  # ratio x confirmed funds
    cap: int
    available: int
    award: int
    binding: tuple[Limit, ...]  # the limits equal to the award (what set it)

    def limits(self) -> list[tuple[Limit, int]]:
        return [
            (Limit.REQUESTED, self.requested),
            (Limit.MATCH, self.match_limit),
            (Limit.CAP, self.cap),
            (Limit.AVAILABLE, self.available),
        ]


def match_award(*, requested: int, confirmed_funds: int, ratio: Ratio, cap: int, available: int) -> MatchFigures:
    """The most a bid can be awarded under the match rule, with the figures that set it.
    Negative inputs count as nothing (an overdrawn or missing fund offers £0)."""
    requested, confirmed_funds, cap, available = (
        max(0, value) for value in (requested, confirmed_funds, cap, available)
    )
    match_limit = ratio.of(confirmed_funds)
    award = min(requested, match_limit, cap, available)
    values = {Limit.REQUESTED: requested, Limit.MATCH: match_limit, Limit.CAP: cap, Limit.AVAILABLE: available}
    binding = tuple(limit for limit, value in values.items() if value == award)
    return MatchFigures(
        requested=requested,
        confirmed_funds=confirmed_funds,
        ratio=ratio,
        match_limit=match_limit,
        cap=cap,
        available=available,
        award=award,
        binding=binding,
    )
