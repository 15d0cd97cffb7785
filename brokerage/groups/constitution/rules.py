"""The constitution builder's choices, their defaults, the questions that ask them, and the rules.

Pure: no database. `rule_problems` returns every broken rule as {field: reason}; the services
refuse a choice with the reason before it is saved.
"""

from dataclasses import asdict, dataclass, fields, replace

THRESHOLD_LABELS = {
    "two_thirds": "two-thirds",
    "three_quarters": "three-quarters",
    "simple_majority": "a simple majority (more than half)",
}
HOSTING_LABELS = {
    "own_account": "The group keeps its money in its own bank account",
    "hosted": "A partner organisation may hold the group's money for it (hosting)",
}
FRACTION_LABELS = {2: "half", 3: "a third"}


@dataclass(frozen=True)
class Choices:
    name: str
    aims: str
    area_of_benefit: str
    membership_open_to: str = "anyone aged 16 or over who supports the aims of the group"
    committee_min: int = 3
    committee_max: int = 9
    committee_unrelated_min: int = 2
    officer_term_years: int = 1
    agm_within_months: int = 15
    notice_days: int = 14
    amendment_notice_days: int = 21
    special_meeting_request: int = 5
    quorum_minimum: int = 5
    quorum_fraction: int = 3
    signatories_minimum: int = 3
    signatures_per_payment: int = 2
    hosting: str = "own_account"
    year_end_month: int = 3
    amendment_threshold: str = "two_thirds"
    dissolution_recipient: str = "another group or charity with similar aims in the area of benefit"

    def as_dict(self) -> dict:
        return asdict(self)


CHOICE_FIELDS = tuple(field.name for field in fields(Choices))


def default_choices(*, name: str, aims: str, locality_name: str) -> Choices:
    """Sensible defaults (domain.md section 3): the builder starts from these."""
    return Choices(name=name, aims=aims, area_of_benefit=f"{locality_name} and the surrounding area")


def choices_from(source) -> Choices:
    """Choices from a dict or an object with the same attribute names (a draft row)."""
    if isinstance(source, dict):
        return Choices(**{name: source[name] for name in CHOICE_FIELDS})
    return Choices(**{name: getattr(source, name) for name in CHOICE_FIELDS})


def with_answers(choices: Choices, answers: dict) -> Choices:
    return replace(choices, **{key: value for key, value in answers.items() if key in CHOICE_FIELDS})


@dataclass(frozen=True)
class Question:
    slug: str
    title: str
    fields: tuple[str, ...]
    intro: str
    rule: str = ""  # the rule the answer must keep, shown beside the question


QUORUM_FLOOR = 3


QUESTIONS: tuple[Question, ...] = (
    Question(
        "name",
        "What is the group called?",
        ("name",),
        "Use the name you want on the bank account: the bank will check that they match exactly.",
    ),
    Question(
        "aims",
        "What are the group's aims, and who does it benefit?",
        ("aims", "area_of_benefit"),
        "The aims say what the group's money and effort are for. Funders read them first.",
    ),
    Question(
        "membership",
        "Who can join?",
        ("membership_open_to",),
        "Keep it open: people are welcome if they support the aims. Members can be removed only after being heard.",
    ),
    Question(
        "committee",
        "How big is the committee?",
        ("committee_min", "committee_max", "committee_unrelated_min", "officer_term_years"),
        "The committee runs the group between meetings. At least 3 people, and at least 2 of them not "
        "related to each other, so that no family decides alone.",
    ),
    Question(
        "meetings",
        "How much notice is given for general meetings?",
        ("agm_within_months", "notice_days", "amendment_notice_days", "special_meeting_request"),
        "General meetings are where all members decide. Notice gives everyone the chance to come.",
    ),
    Question(
        "quorum",
        "How many members must be present to make decisions?",
        ("quorum_minimum", "quorum_fraction"),
        "The quorum is how many members must be at a general meeting for its decisions to count.",
        f"The usual quorum is 5 members or a third of the members, whichever is more. It can be smaller "
        f"for a small group, but never fewer than {QUORUM_FLOOR}, so that one or two people never decide "
        "for everyone.",
    ),
    Question(
        "signatories",
        "Who signs for payments?",
        ("signatories_minimum", "signatures_per_payment"),
        "Signatories authorise payments from the bank account. Two unrelated people sign every payment.",
    ),
    Question(
        "hosting",
        "Where will the group's money be kept?",
        ("hosting",),
        "Most groups open their own community bank account. Some ask a partner organisation to hold "
        "their money for them.",
    ),
    Question(
        "year-end",
        "When does the group's financial year end?",
        ("year_end_month",),
        "The treasurer prepares the accounts for the year ending on this date, for the AGM.",
    ),
    Question(
        "amendments",
        "How can the constitution be changed?",
        ("amendment_threshold",),
        "Changes are voted on at a general meeting. Most groups choose two-thirds.",
        "A change needs at least two-thirds of the members present and voting, so that a bare majority "
        "cannot change the rules everyone joined under.",
    ),
    Question(
        "dissolution",
        "If the group closes, who receives what is left?",
        ("dissolution_recipient",),
        "After debts are paid, anything left must still be used for aims like the group's.",
        "What is left goes to another group or charity with similar aims, never to the members: the money "
        "was given for the group's aims.",
    ),
)
QUESTION_BY_SLUG = {question.slug: question for question in QUESTIONS}


def next_question(slug: str) -> Question | None:
    position = [question.slug for question in QUESTIONS].index(slug)
    return QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else None


def _committee(c: Choices) -> dict[str, str]:
    if c.committee_min < 3:
        return {
            "committee_min": "The committee needs at least 3 members, so that no one or two people run the group alone."
        }
    if c.committee_unrelated_min < 2:
        return {
            "committee_unrelated_min": "At least 2 committee members must be unrelated to each other "
            "(not family, partners or living at the same address)."
        }
    if c.committee_unrelated_min > c.committee_min:
        return {
            "committee_unrelated_min": "The number of unrelated members cannot be more than the "
            "smallest committee size."
        }
    if c.committee_max < c.committee_min:
        return {"committee_max": "The largest committee size cannot be smaller than the smallest."}
    if not 1 <= c.officer_term_years <= 3:
        return {"officer_term_years": "Officers serve for 1, 2 or 3 years before standing again."}
    return {}


def _meetings(c: Choices) -> dict[str, str]:
    if not 1 <= c.agm_within_months <= 15:
        return {
            "agm_within_months": "Hold each annual general meeting within 15 months of the last one, "
            "so that members can hold the committee to account every year."
        }
    if c.notice_days < 14:
        return {"notice_days": "Give members at least 14 days' notice of a general meeting."}
    if c.amendment_notice_days < 21:
        return {
            "amendment_notice_days": "Give members at least 21 days' notice of a meeting that will "
            "vote on changes to the constitution."
        }
    if c.special_meeting_request < 2:
        return {"special_meeting_request": "A special meeting must be requested by at least 2 members."}
    return {}


def _quorum(c: Choices) -> dict[str, str]:
    if c.quorum_minimum <= 1:
        return {
            "quorum_minimum": "A quorum of 1 would let one person make decisions for everyone. "
            f"The quorum must be at least {QUORUM_FLOOR} members."
        }
    if c.quorum_minimum < QUORUM_FLOOR:
        return {
            "quorum_minimum": f"The quorum must be at least {QUORUM_FLOOR} members, so that one or two people "
            "never decide for everyone."
        }
    if c.quorum_fraction not in FRACTION_LABELS:
        return {"quorum_fraction": "The quorum must be at least a third of the members."}
    return {}


def _signatories(c: Choices) -> dict[str, str]:
    if c.signatories_minimum < 3:
        return {
            "signatories_minimum": "The group needs at least 3 signatories, so that two unrelated "
            "people can still sign when one is away."
        }
    if c.signatures_per_payment < 2:
        return {
            "signatures_per_payment": "Every payment must be authorised by two unrelated signatories. "
            "One signature is not enough."
        }
    if c.signatures_per_payment > c.signatories_minimum:
        return {"signatures_per_payment": "A payment cannot need more signatures than there are signatories."}
    return {}


def _others(c: Choices) -> dict[str, str]:
    problems = {}
    if c.amendment_threshold not in ("two_thirds", "three_quarters"):
        problems["amendment_threshold"] = (
            "Changes to the constitution need at least two-thirds of the members "
            "present and voting, so that a bare majority cannot change the rules."
        )
    if c.hosting not in HOSTING_LABELS:
        problems["hosting"] = "Choose whether the group keeps its own bank account or may be hosted."
    if not 1 <= c.year_end_month <= 12:
        problems["year_end_month"] = "Choose the month the financial year ends."
    return problems


def rule_problems(choices: Choices) -> dict[str, str]:
    """Every broken rule, as {field name: the reason in plain words}."""
    problems: dict[str, str] = {}
    for check in (_committee, _meetings, _quorum, _signatories, _others):
        problems.update(check(choices))
    return problems


def quorum_warning(c: Choices, members: int) -> tuple[str, int | None] | None:
    """When the group has fewer members than its quorum, no general meeting could decide anything
    (an AGM could never be held, and the group would fall dormant): say so, and propose the largest
    quorum it can meet with one member away, never below the floor. None when the quorum is met."""
    needed = max(c.quorum_minimum, -(-members // c.quorum_fraction))
    if members >= needed:
        return None
    if members < QUORUM_FLOOR:
        return (
            f"The group has {members} member{'s' if members != 1 else ''}, fewer than the quorum of {needed}. "
            f"Add members: a group needs at least {QUORUM_FLOOR} to make decisions."
        ), None
    proposal = max(QUORUM_FLOOR, members - 1)
    return (
        f"The group has {members} members, fewer than the quorum of {needed}: no general meeting could make "
        f"a decision. We suggest a quorum of {proposal}, which the group can meet even with one member "
        "away."
    ), proposal
