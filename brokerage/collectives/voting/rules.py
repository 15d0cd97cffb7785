"""The quorum and decision rules as pure functions: no database, no clock.

Defaults (domain.md section 2; each collective may set its own, versioned in `decision_rule_set`):
- quorum on votes cast (abstentions count): at least max(3, ceil(half of the eligible members)),
  at least one vote from a member with lived experience or a carer, and Trust-staff votes
  no more than half of the votes cast;
- approved iff quorate and support > oppose and support >= 2 (abstentions do not count for
  the result); a tie or no quorum -> deferred, re-listed once; a second deferral -> not approved;
- the window is at least 48 hours and at most 7 days; a poll closes early when everyone
  eligible has voted, or when no way the remaining members could still vote changes the outcome.

"Eligible" means the electorate minus those recused after declaring an interest.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from math import ceil

from ...errors import RuleViolation


class Choice(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    ABSTAIN = "abstain"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Outcome(StrEnum):
    APPROVED = "approved"
    DEFERRED = "deferred"
    NOT_APPROVED = "not_approved"

    @property
    def label(self) -> str:
        return {"approved": "Approved", "deferred": "Deferred", "not_approved": "Not approved"}[self.value]


class Group(StrEnum):
    """What the quorum rule needs to know about a voter's constituency."""

    LIVED_OR_CARER = "lived_or_carer"
    TRUST_STAFF = "trust_staff"
    OTHER = "other"


def group_of(constituency: str) -> Group:
    if constituency in ("lived_experience", "carer"):
        return Group.LIVED_OR_CARER
    return Group.TRUST_STAFF if constituency == "trust_staff" else Group.OTHER


@dataclass(frozen=True)
class RuleSet:
    quorum_minimum: int = 3
    quorum_percent: int = 50  # of eligible members, rounded up
    require_lived_or_carer: bool = True
    staff_max_percent: int = 50  # of votes cast
    support_minimum: int = 2
    min_window_hours: int = 48
    max_window_hours: int = 168
    max_deferrals: int = 1

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "RuleSet":
        return cls(**{key: values[key] for key in cls.__dataclass_fields__ if key in values})

    def check(self) -> None:
        """RuleViolation (naming the field) for a rule set that could not work."""
        checks = [
            ("quorum_minimum", 1 <= self.quorum_minimum <= 100, "from 1 to 100"),
            ("quorum_percent", 1 <= self.quorum_percent <= 100, "from 1 to 100"),
            ("staff_max_percent", 1 <= self.staff_max_percent <= 100, "from 1 to 100"),
            ("support_minimum", 1 <= self.support_minimum <= 100, "from 1 to 100"),
            ("min_window_hours", 24 <= self.min_window_hours <= 168, "from 24 to 168"),
            (
                "max_window_hours",
                self.min_window_hours <= self.max_window_hours <= 720,
                "at least the shortest window and at most 720",
            ),
            ("max_deferrals", 0 <= self.max_deferrals <= 3, "from 0 to 3"),
        ]
        for field, ok, allowed in checks:
            if not ok:
                raise RuleViolation(f"Enter a whole number {allowed}.", field=field)


DEFAULT_RULES = RuleSet()


@dataclass(frozen=True)
class Count:
    """Votes cast so far, as the rules see them."""

    support: int = 0
    oppose: int = 0
    abstain: int = 0
    lived_or_carer: int = 0  # votes (any choice) from lived experience or carers
    staff: int = 0  # votes (any choice) from Trust staff

    @property
    def cast(self) -> int:
        return self.support + self.oppose + self.abstain

    def plus(self, group: Group, choice: Choice, times: int = 1) -> "Count":
        return Count(
            support=self.support + times * (choice is Choice.SUPPORT),
            oppose=self.oppose + times * (choice is Choice.OPPOSE),
            abstain=self.abstain + times * (choice is Choice.ABSTAIN),
            lived_or_carer=self.lived_or_carer + times * (group is Group.LIVED_OR_CARER),
            staff=self.staff + times * (group is Group.TRUST_STAFF),
        )


def count_votes(votes: list[tuple[str, str]]) -> Count:
    """`votes`: (constituency, choice) for each current vote."""
    count = Count()
    for constituency, choice in votes:
        count = count.plus(group_of(constituency), Choice(choice))
    return count


def quorum_needed(rules: RuleSet, eligible: int) -> int:
    return max(rules.quorum_minimum, ceil(eligible * rules.quorum_percent / 100))


def quorum_failures(rules: RuleSet, eligible: int, count: Count) -> list[str]:
    """Why the votes cast are not quorate, in plain words (empty when quorate)."""
    reasons = []
    needed = quorum_needed(rules, eligible)
    if count.cast < needed:
        reasons.append(f"{count.cast} of {eligible} eligible members voted; at least {needed} votes were needed.")
    if rules.require_lived_or_carer and count.lived_or_carer == 0:
        reasons.append("No vote came from a member with lived experience or a carer.")
    if count.staff * 100 > count.cast * rules.staff_max_percent:
        reasons.append(
            f"Trust staff cast {count.staff} of the {count.cast} votes, more than "
            f"{rules.staff_max_percent}% of the votes cast."
        )
    return reasons


def is_approved(rules: RuleSet, eligible: int, count: Count) -> bool:
    return (
        not quorum_failures(rules, eligible, count)
        and count.support > count.oppose
        and count.support >= rules.support_minimum
    )


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    quorate: bool
    reasons: tuple[str, ...]


def decide(rules: RuleSet, eligible: int, count: Count, earlier_deferrals: int) -> Decision:
    """The outcome of a closed poll, with its reasons. Never a hidden tie-break: a tie defers."""
    failures = quorum_failures(rules, eligible, count)
    tally = f"{count.support} in support, {count.oppose} against, {count.abstain} abstaining."
    if is_approved(rules, eligible, count):
        return Decision(Outcome.APPROVED, True, ("Enough people voted.", tally))
    if failures:
        reasons = ["Not enough people voted for a decision.", *failures]
    elif count.support == count.oppose:
        reasons = ["The vote was tied; ties are never broken by anyone's casting vote."]
    elif count.support > count.oppose:
        reasons = [f"At least {rules.support_minimum} votes in support are needed."]
    else:
        return Decision(Outcome.NOT_APPROVED, True, ("More members voted against than in support.", tally))
    if earlier_deferrals >= rules.max_deferrals:
        reasons.append("The bid had already been deferred, so it is not approved this round.")
        return Decision(Outcome.NOT_APPROVED, not failures, (*reasons, tally))
    reasons.append(
        "The bid is deferred: the partner is asked the collective's questions and the bid is "
        "listed for a vote once more."
    )
    return Decision(Outcome.DEFERRED, not failures, (*reasons, tally))


@dataclass(frozen=True)
class Remaining:
    """Members who may still vote (eligible, no current vote), by group."""

    lived_or_carer: int = 0
    staff: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.lived_or_carer + self.staff + self.other


def _completions(eligible: int, count: Count, remaining: Remaining):
    """The ways the remaining members could still act that can change an outcome, as
    (eligible, count) pairs. Every other way is dominated by one of these:
    - members who are not Trust staff all vote the same way (a vote from them helps the
      quorum more than a recusal lowers it), while any number k of staff vote that way and
      the other staff recuse (a staff vote can only push the staff share up);
    - everyone votes the same way;
    - only the staff vote (the most the staff share can reach).
    Recusing is open here to anyone who has not voted, which can only make closing later."""
    for choice in Choice:
        rest = count.plus(Group.LIVED_OR_CARER, choice, remaining.lived_or_carer).plus(
            Group.OTHER, choice, remaining.other
        )
        for k in range(remaining.staff + 1):
            yield eligible - (remaining.staff - k), rest.plus(Group.TRUST_STAFF, choice, k)
        yield eligible, count.plus(Group.TRUST_STAFF, choice, remaining.staff)


def outcome_settled(rules: RuleSet, eligible: int, count: Count, remaining: Remaining, earlier_deferrals: int) -> bool:
    """True when everyone eligible has voted, or no way the remaining members could still
    vote (or recuse) changes the outcome: the poll may then close early."""
    if remaining.total == 0:
        return True
    now = decide(rules, eligible, count, earlier_deferrals).outcome
    return all(
        decide(rules, size, later, earlier_deferrals).outcome is now
        for size, later in _completions(eligible, count, remaining)
    )


def check_window(rules: RuleSet, opens_at: datetime, closes_at: datetime) -> None:
    """RuleViolation unless the poll stays open for at least the shortest window and at most the longest."""
    length = closes_at - opens_at
    if length < timedelta(hours=rules.min_window_hours):
        raise RuleViolation(f"A vote must stay open for at least {rules.min_window_hours} hours.", field="closes_at")
    if length > timedelta(hours=rules.max_window_hours):
        raise RuleViolation(f"A vote can stay open for at most {rules.max_window_hours // 24} days.", field="closes_at")


REMINDER_BEFORE_CLOSE = timedelta(hours=24)


def reminder_due_at(opened_at: datetime, closes_at: datetime) -> datetime:
    """When the one reminder to vote is due: 24 hours before the vote closes, or half-way through
    a window shorter than 48 hours (so it never comes before the members have had half the time)."""
    window = closes_at - opened_at
    if window < 2 * REMINDER_BEFORE_CLOSE:
        return opened_at + window / 2
    return closes_at - REMINDER_BEFORE_CLOSE


def reminder_due(opened_at: datetime, closes_at: datetime, now: datetime) -> bool:
    """True while the reminder is due and the vote has not closed yet."""
    return reminder_due_at(opened_at, closes_at) <= now < closes_at


def split_questions(questions: str) -> list[str]:
    """The members' questions to the partner as a list: `Poll.questions` holds one comment per
    "- " line (a comment's own line breaks continue it), so the partner answers each one."""
    items: list[str] = []
    for line in questions.splitlines():
        if line.startswith("- ") or not items:
            items.append(line.removeprefix("- ").strip())
        else:
            items[-1] = f"{items[-1]}\n{line}".strip()
    return [item for item in items if item]
