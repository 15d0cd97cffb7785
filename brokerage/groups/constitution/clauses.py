"""The 17 clauses of the constitution, written out in plain English from the group's choices."""

import calendar
from dataclasses import dataclass
from datetime import date

from .rules import FRACTION_LABELS, THRESHOLD_LABELS, Choices


@dataclass(frozen=True)
class Adoption:
    """What clause 17 records once the constitution has been adopted (and, later, amended)."""

    founded_on: date
    members_present: int
    proposer: str
    seconder: str
    version: int = 1
    amended_on: date | None = None
    amended_at: str | None = None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _clause(number: int, title: str, *paragraphs: str) -> dict:
    return {"number": number, "title": title, "paragraphs": list(paragraphs)}


def _opening(c: Choices) -> list[dict]:
    return [
        _clause(1, "Name", f"The group is called {c.name}. Its bank account must be in exactly this name."),
        _clause(
            2,
            "Aims and area of benefit",
            f"The aims of the group are: {c.aims}",
            f"The group works for the benefit of people in {c.area_of_benefit}.",
        ),
        _clause(
            3,
            "Powers",
            "To carry out its aims the group may raise money, open a bank account, work with "
            "other organisations, run activities and events, and do anything else lawful that helps its aims.",
        ),
        _clause(
            4,
            "Not for profit",
            "All income and property are used only for the group's aims. No member is "
            "paid for being a member or an officer; reasonable out-of-pocket expenses, agreed by the "
            "committee, may be repaid.",
        ),
        _clause(
            5,
            "Membership",
            f"Membership is open to {c.membership_open_to}.",
            "The secretary keeps a register of members. A member may resign by telling the secretary.",
            "The committee may remove a member whose conduct harms the group, but only after the member "
            "has been told why in writing and has had the chance to be heard, with a friend present if "
            "they wish.",
        ),
        _clause(
            6,
            "Equal opportunities",
            "The group welcomes everyone and will not treat anyone less fairly "
            "because of age, disability, gender reassignment, marriage or civil partnership, pregnancy, "
            "race, religion or belief, sex or sexual orientation, or their mental or physical health.",
        ),
    ]


def _governance(c: Choices) -> list[dict]:
    years = "1 year" if c.officer_term_years == 1 else f"{c.officer_term_years} years"
    return [
        _clause(
            7,
            "Officers",
            "The officers are a chair, a secretary and a treasurer, and may include a "
            "welfare lead. They are elected at the annual general meeting from among the members.",
            f"Officers serve for {years} and may stand again.",
        ),
        _clause(
            8,
            "Committee",
            f"The committee has between {c.committee_min} and {c.committee_max} members, "
            "including the officers, elected at the annual general meeting.",
            f"At least {c.committee_unrelated_min} committee members must be unrelated to each other: not "
            "family, not partners, and not living at the same address.",
            f"Committee members serve for {years}. A committee member with a personal interest in a "
            "decision says so, and does not take part in that decision; this is written in the minutes.",
        ),
        _clause(
            9,
            "General meetings",
            f"An annual general meeting (AGM) is held within {c.agm_within_months} "
            "months of the last one. Members receive the annual accounts and elect the officers and committee.",
            f"Members are given at least {c.notice_days} days' notice of a general meeting, and at least "
            f"{c.amendment_notice_days} days' notice of a meeting that will vote on changes to this "
            "constitution.",
            f"A special general meeting is called within 28 days when {c.special_meeting_request} or more "
            "members ask the secretary in writing.",
            f"The quorum is {c.quorum_minimum} members or {FRACTION_LABELS.get(c.quorum_fraction, '')} of the "
            "members, whichever is greater. Each member has one vote. The secretary keeps minutes of every "
            "meeting.",
        ),
    ]


def _money(c: Choices) -> list[dict]:
    month = calendar.month_name[c.year_end_month]
    hosting = (
        "The group keeps its money in its own bank account and is not hosted by another organisation. "
        "The members may decide at a general meeting to be hosted instead."
        if c.hosting == "own_account"
        else "A partner organisation may hold money for the group (host it) under a written hosting agreement. "
        "The host keeps the group's money separate, pays expenses the group's officers approve, may "
        "charge a fee set out in the agreement, and shows the group its balance. Either side may end "
        "hosting with notice; any money held is then passed to the group's own bank account."
    )
    return [
        _clause(
            10,
            "Finance",
            f"The group's bank account is in the name {c.name}.",
            f"Every payment is authorised by {c.signatures_per_payment} signatories who are not related to "
            f"each other. The group has at least {c.signatories_minimum} signatories.",
            f"The treasurer keeps records of all money in and out. The financial year ends on the last day of "
            f"{month}, and the annual accounts are presented to the AGM.",
        ),
        _clause(11, "Hosting", hosting),
        _clause(
            12,
            "Safeguarding",
            "The group adopts a safeguarding policy, reviews it every year, and names a "
            "safeguarding lead (the welfare lead). Any concern about someone's safety is reported to the "
            "safeguarding lead at once and, where needed, to the local authority or the police.",
        ),
        _clause(
            13,
            "Data protection",
            "The group keeps members' personal details safe, uses them only to run "
            "the group, keeps them no longer than needed, and holds contact details only with consent.",
        ),
        _clause(
            14,
            "Conduct and disputes",
            "Members treat each other with respect. A disagreement is first "
            "raised with the chair; if it is not resolved, the committee hears everyone involved and decides.",
        ),
    ]


def _closing(c: Choices, adoption: Adoption | None) -> list[dict]:
    threshold = THRESHOLD_LABELS.get(c.amendment_threshold, "")
    return [
        _clause(
            15,
            "Amendments",
            "This constitution may be changed only at a general meeting called with "
            f"{c.amendment_notice_days} days' notice that says what the change is, and only if {threshold} "
            "of the members present and voting agree.",
        ),
        _clause(
            16,
            "Dissolution",
            f"The group may close if {threshold} of the members present and voting at a "
            "general meeting agree. All debts are paid first. Anything left is given to "
            f"{c.dissolution_recipient}, and never to the members.",
        ),
        _clause(17, "Adoption", *_adoption_paragraphs(c, adoption)),
    ]


def _adoption_paragraphs(c: Choices, adoption: Adoption | None) -> list[str]:
    if adoption is None:
        return [
            "This constitution will be adopted at a founding meeting of the members if it is proposed by "
            "one member, seconded by another, and agreed by two-thirds of those present and voting. The "
            "chair and the secretary then sign it."
        ]
    paragraphs = [
        f"This constitution was adopted at the founding meeting of {c.name} held on "
        f"{_day(adoption.founded_on)}, with {adoption.members_present} members present. It was "
        f"proposed by {adoption.proposer} and seconded by {adoption.seconder}."
    ]
    if adoption.amended_on:
        paragraphs.append(
            f"This is version {adoption.version}, as amended at the {adoption.amended_at} held on "
            f"{_day(adoption.amended_on)}."
        )
    paragraphs.append("Signed by the chair and the secretary on behalf of the members.")
    return paragraphs


def render_clauses(choices: Choices, adoption: Adoption | None = None) -> list[dict]:
    """All 17 clauses, numbered, each a title and its paragraphs."""
    return _opening(choices) + _governance(choices) + _money(choices) + _closing(choices, adoption)
