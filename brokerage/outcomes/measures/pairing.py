"""Pairing and change, pure. Each participant's baseline is paired with their latest follow-up
(3 months or end, by date; on the same date the end measure wins). Change = follow-up metric
score minus baseline metric score.

"Unchanged" means a change of less than 1 metric point in either direction (-1 < change < 1).
Published guidance treats changes of roughly 1 to 3 points as meaningful; we take the lower
bound, 1 point, so that any change of 1 or more counts as improved (or worse).

No figure is reported from fewer than 5 people, counts of people (participants, pairs) included,
nor one hidden so that a small one cannot be worked out by subtraction (small_numbers/rules.py):
such a count reads "not shown (small numbers)" and so do the mean scores and shares from such
pairs, in pages and CSV alike. Zero reads "none"."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..small_numbers.rules import is_small

NOT_SHOWN = "not shown (small numbers)"
UNCHANGED_BAND = Decimal("1")
BASELINE = "baseline"
FOLLOW_UPS = ("three_months", "end")


@dataclass(frozen=True)
class Measure:
    code: str
    timepoint: str
    measured_on: date
    metric: Decimal


@dataclass(frozen=True)
class Pair:
    code: str
    baseline: Decimal
    follow_up: Decimal

    @property
    def change(self) -> Decimal:
        return self.follow_up - self.baseline

    @property
    def direction(self) -> str:
        return classify(self.change)


@dataclass(frozen=True)
class Summary:
    participants: int
    pairs: int
    reportable: bool  # the figures from the pairs may be shown
    mean_baseline: Decimal | None = None
    mean_follow_up: Decimal | None = None
    mean_change: Decimal | None = None
    shares: dict[str, int] | None = None  # whole percentages: improved, unchanged, worse
    participants_hidden: bool = False
    pairs_hidden: bool = False

    @property
    def participants_shown(self) -> str:
        return shown_count(self.participants, hidden=self.participants_hidden)

    @property
    def pairs_shown(self) -> str:
        return shown_count(self.pairs, hidden=self.pairs_hidden)


def shown_count(count: int, *, hidden: bool = False) -> str:
    """A count of people as it may be shown: 'none', NOT_SHOWN (small, or hidden with a small
    one so that it cannot be worked out) or the number."""
    if count == 0:
        return "none"
    return NOT_SHOWN if hidden or is_small(count) else f"{count:,}"


def classify(change: Decimal) -> str:
    """'improved' (change >= 1), 'worse' (change <= -1) or 'unchanged' (in between)."""
    if change >= UNCHANGED_BAND:
        return "improved"
    if change <= -UNCHANGED_BAND:
        return "worse"
    return "unchanged"


def _follow_up_order(measure: Measure) -> tuple[date, int]:
    return measure.measured_on, FOLLOW_UPS.index(measure.timepoint)


def pair_measures(measures: Iterable[Measure]) -> list[Pair]:
    """One pair per code that has a baseline and at least one follow-up, ordered by code."""
    baselines: dict[str, Measure] = {}
    latest: dict[str, Measure] = {}
    for measure in measures:
        if measure.timepoint == BASELINE:
            baselines[measure.code] = measure
        elif measure.code not in latest or _follow_up_order(measure) > _follow_up_order(latest[measure.code]):
            latest[measure.code] = measure
    return [
        Pair(code, baselines[code].metric, latest[code].metric) for code in sorted(baselines.keys() & latest.keys())
    ]


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def _shares(pairs: list[Pair]) -> dict[str, int]:
    counts = {"improved": 0, "unchanged": 0, "worse": 0}
    for pair in pairs:
        counts[pair.direction] += 1
    return {direction: round(100 * count / len(pairs)) for direction, count in counts.items()}


def year_pairs(measures: Iterable[Measure], first: date, last: date) -> tuple[int, list[Pair]]:
    """A financial year's participants (codes with a measure dated in it) and pairs: each code's
    baseline, whenever it was, with its latest follow-up dated in the year."""
    counted = [
        measure
        for measure in measures
        if measure.measured_on <= last and (measure.timepoint == BASELINE or measure.measured_on >= first)
    ]
    return len({measure.code for measure in counted if measure.measured_on >= first}), pair_measures(counted)


def summarise(
    participants: int, pairs: list[Pair], *, participants_hidden: bool = False, pairs_hidden: bool = False
) -> Summary:
    """The figures for a set of pairs, or a summary marked not reportable when there are none or
    their count is hidden: small (small_numbers.rules.is_small), or hidden by the caller to protect
    a small count elsewhere (suppression.py)."""
    participants_hidden = participants_hidden or is_small(participants)
    pairs_hidden = pairs_hidden or is_small(len(pairs))
    if pairs_hidden or not pairs:
        return Summary(
            participants=participants,
            pairs=len(pairs),
            reportable=False,
            participants_hidden=participants_hidden,
            pairs_hidden=pairs_hidden,
        )
    return Summary(
        participants=participants,
        pairs=len(pairs),
        reportable=True,
        mean_baseline=_mean([pair.baseline for pair in pairs]),
        mean_follow_up=_mean([pair.follow_up for pair in pairs]),
        mean_change=_mean([pair.change for pair in pairs]),
        shares=_shares(pairs),
        participants_hidden=participants_hidden,
        pairs_hidden=pairs_hidden,
    )
