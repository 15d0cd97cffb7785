"""The short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS), pure: seven items scored 1-5,
a raw score of 7-35 and its metric score from the published conversion table (Stewart-Brown
et al. 2009). The item wording and answer anchors are licensed text: they are shown only when the
deployment has configured them (SWEMWBS_ITEMS, SWEMWBS_CHOICES); neutral labels otherwise."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from ...errors import RuleViolation

ITEM_COUNT = 7
LOWEST, HIGHEST = 1, 5
ITEM_FIELDS = tuple(f"item_{number}" for number in range(1, ITEM_COUNT + 1))

METRIC_SCORES: dict[int, Decimal] = {
    raw: Decimal(metric)
    for raw, metric in {
        7: "7.00",
        8: "9.51",
        9: "11.25",
        10: "12.40",
        11: "13.33",
        12: "14.08",
        13: "14.75",
        14: "15.32",
        15: "15.84",
        16: "16.36",
        17: "16.88",
        18: "17.43",
        19: "17.98",
        20: "18.59",
        21: "19.25",
        22: "19.98",
        23: "20.73",
        24: "21.54",
        25: "22.35",
        26: "23.21",
        27: "24.11",
        28: "25.03",
        29: "26.02",
        30: "27.03",
        31: "28.13",
        32: "29.31",
        33: "30.70",
        34: "32.55",
        35: "35.00",
    }.items()
}

NEUTRAL_CHOICES = ("1 (lowest)", "2", "3", "4", "5 (highest)")
NEUTRAL_HINT = (
    "The wording of the statements is licensed, and this service has not been given it, so they "
    "are shown as numbers. Use the printed questionnaire: answer 1 for the lowest and 5 for the "
    "highest."
)
PARTICIPANT_NEUTRAL_HINT = (
    "The statements are numbered 1 to 7 on the paper questionnaire your group gave you. "
    "For each one, choose 1 for the lowest and 5 for the highest."
)


def validated_items(items: Sequence[int | None]) -> tuple[int, ...]:
    """The seven item scores, or RuleViolation naming the first missing or out-of-range item."""
    if len(items) != ITEM_COUNT:
        raise RuleViolation(f"Answer all {ITEM_COUNT} statements.")
    scores: list[int] = []
    for field, score in zip(ITEM_FIELDS, items, strict=True):
        number = field.removeprefix("item_")
        if score is None:
            raise RuleViolation(f"Choose an answer for statement {number}.", field=field)
        if isinstance(score, bool) or not isinstance(score, int) or not LOWEST <= score <= HIGHEST:
            raise RuleViolation(f"The answer for statement {number} must be from 1 to 5.", field=field)
        scores.append(score)
    return tuple(scores)


def raw_score(items: Sequence[int]) -> int:
    """The sum of the seven item scores (7-35)."""
    return sum(validated_items(items))


def metric_score(raw: int) -> Decimal:
    """The metric score for a raw score of 7-35 (ValueError outside it)."""
    if raw not in METRIC_SCORES:
        raise ValueError(f"a SWEMWBS raw score is 7-35, not {raw}")
    return METRIC_SCORES[raw]


def item_labels(config: Mapping) -> tuple[tuple[str, ...], bool]:
    """(the seven statement labels, whether they are the licensed wording)."""
    licensed = config.get("SWEMWBS_ITEMS")
    if licensed and len(licensed) == ITEM_COUNT:
        return tuple(licensed), True
    return tuple(f"Statement {number}" for number in range(1, ITEM_COUNT + 1)), False


def choice_labels(config: Mapping) -> tuple[str, ...]:
    """The five answer labels: the configured anchors, or neutral '1 (lowest)'..'5 (highest)'."""
    configured = config.get("SWEMWBS_CHOICES")
    if configured and len(configured) == HIGHEST:
        return tuple(configured)
    return NEUTRAL_CHOICES
