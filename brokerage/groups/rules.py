"""The group's rules, pure (no database, no clock): who counts as unrelated, and the readiness
checklist and the group's stage, computed from facts (never ticked by hand).

Family and partners relate the two people named. Living at the same address is transitive:
if A lives with B and B lives with C, then A and C share an address too.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

Declared = tuple[int, int, str]  # (person id, person id, kind)


def _address_households(relationships: Iterable[Declared]) -> dict[int, int]:
    """Union-find over same-address declarations: person id -> household representative."""
    parent: dict[int, int] = {}

    def find(person: int) -> int:
        parent.setdefault(person, person)
        while parent[person] != person:
            parent[person] = parent[parent[person]]
            person = parent[person]
        return person

    for first, second, kind in relationships:
        if kind == "same_address":
            parent[find(first)] = find(second)
    return {person: find(person) for person in list(parent)}


def related_pairs(relationships: Iterable[Declared]) -> set[frozenset[int]]:
    """Every pair of people who are related, directly or through a shared address."""
    relationships = list(relationships)
    pairs = {frozenset((a, b)) for a, b, kind in relationships if kind != "same_address" and a != b}
    households: dict[int, list[int]] = {}
    for person, household in _address_households(relationships).items():
        households.setdefault(household, []).append(person)
    for members in households.values():
        pairs.update(frozenset(pair) for pair in combinations(members, 2))
    return pairs


def are_related(first: int, second: int, relationships: Iterable[Declared]) -> bool:
    return frozenset((first, second)) in related_pairs(relationships)


def unrelated_count(people: Iterable[int], relationships: Iterable[Declared], up_to: int = 3) -> int:
    """The size of the largest set of mutually unrelated people among `people`, capped at `up_to`
    (the rules ask for at least 2, preferably 3, so larger sets need not be searched)."""
    people = sorted(set(people))
    pairs = related_pairs(relationships)
    best = min(1, len(people))
    for size in range(2, min(up_to, len(people)) + 1):
        if not any(
            all(frozenset(pair) not in pairs for pair in combinations(chosen, 2))
            for chosen in combinations(people, size)
        ):
            break
        best = size
    return best


REQUIRED_OFFICES = ("chair", "secretary", "treasurer")


@dataclass(frozen=True)
class Facts:
    adopted_name: str | None = None
    choices: dict | None = None
    committee: tuple[int, ...] = ()
    signatories: tuple[int, ...] = ()
    relationships: tuple[Declared, ...] = ()
    offices: dict[str, str] = field(default_factory=dict)  # office -> holder's name
    office_holders: dict[str, int] = field(default_factory=dict)  # office -> holder's person id
    safeguarding_policy_on: date | None = None
    bank_status: str = "not_started"
    bank_account_name: str | None = None
    last_annual_meeting_on: date | None = None
    closed_on: date | None = None
    hosted_by: str | None = None  # the partner holding the group's money under an approved, unexpired agreement


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    done: bool
    detail: str
    next_step: str | None = None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_agm_due(facts: Facts) -> date | None:
    """Within `agm_within_months` of the last AGM (or of the founding meeting)."""
    if facts.choices is None or facts.last_annual_meeting_on is None:
        return None
    return add_months(facts.last_annual_meeting_on, facts.choices["agm_within_months"])


def _constitution(facts: Facts) -> Item:
    if facts.adopted_name:
        return Item("constitution", "Constitution adopted", True, f"Adopted in the name {facts.adopted_name}.")
    return Item(
        "constitution",
        "Constitution adopted",
        False,
        "Not adopted yet.",
        "Choose the constitution's answers, then record the founding meeting that adopts it.",
    )


def _committee(facts: Facts) -> Item:
    size, unrelated = len(facts.committee), unrelated_count(facts.committee, facts.relationships, 2)
    detail = f"{size} committee member{'s' if size != 1 else ''}, {unrelated} of them unrelated to each other."
    if size < 3:
        return Item("committee", "Committee of at least 3", False, detail, "Add committee members until there are 3.")
    if unrelated < 2:
        return Item(
            "committee",
            "Committee of at least 3",
            False,
            detail,
            "Add a committee member who is not family, a partner or at the same address as the others.",
        )
    return Item("committee", "Committee of at least 3", True, detail)


def officer_problems(
    holders: dict[str, int], relationships: Iterable[Declared], names: dict[int, str]
) -> dict[str, str]:
    """What is wrong with who holds the three offices, as {office: reason}. They are three different
    people, so that no one person both runs the meetings and handles the money unchecked; and the
    chair and treasurer are not related (family, partners or the same address) for the same reason."""
    problems: dict[str, str] = {}
    seen: dict[int, str] = {}
    for office in REQUIRED_OFFICES:
        person = holders.get(office)
        if person is None:
            continue
        if person in seen:
            problems[office] = (
                f"{names.get(person, 'The same person')} is already the {seen[person]}: the chair, "
                "secretary and treasurer must be three different people."
            )
        else:
            seen[person] = office
    chair, treasurer = holders.get("chair"), holders.get("treasurer")
    if (
        "treasurer" not in problems
        and chair
        and treasurer
        and chair != treasurer
        and are_related(chair, treasurer, relationships)
    ):
        problems["treasurer"] = (
            f"{names.get(treasurer, 'The treasurer')} and {names.get(chair, 'the chair')} are "
            "related (family, partners or the same address): the treasurer and the chair must "
            "not be related."
        )
    return problems


def _officers(facts: Facts) -> Item:
    missing = [office for office in REQUIRED_OFFICES if office not in facts.offices]
    problems = officer_problems(
        facts.office_holders,
        facts.relationships,
        {facts.office_holders[o]: n for o, n in facts.offices.items() if o in facts.office_holders},
    )
    if missing:
        detail = f"Not filled: {', '.join(missing)}." + "".join(f" {reason}" for reason in problems.values())
        return Item(
            "officers", "Chair, secretary and treasurer", False, detail, f"Choose a {missing[0]} from the members."
        )
    if problems:
        return Item(
            "officers",
            "Chair, secretary and treasurer",
            False,
            " ".join(problems.values()),
            "Choose different people for the offices named.",
        )
    names = "; ".join(f"{office}: {facts.offices[office]}" for office in REQUIRED_OFFICES)
    return Item("officers", "Chair, secretary and treasurer", True, names[0].upper() + names[1:] + ".")


def _signatories(facts: Facts) -> Item:
    count, unrelated = len(facts.signatories), unrelated_count(facts.signatories, facts.relationships, 3)
    needed = (facts.choices or {}).get("signatories_minimum", 3)
    detail = f"{count} signator{'ies' if count != 1 else 'y'}, {unrelated} of them unrelated to each other."
    if unrelated < 2:
        return Item(
            "signatories",
            "Two unrelated signatories",
            False,
            detail,
            "Add signatories until at least two are not family, partners or at the same address.",
        )
    if count < needed:
        return Item(
            "signatories",
            "Two unrelated signatories",
            False,
            detail,
            f"The constitution asks for at least {needed} signatories: add another.",
        )
    if unrelated < 3:
        return Item(
            "signatories",
            "Two unrelated signatories",
            True,
            detail,
            "Better still: have three signatories who are all unrelated.",
        )
    return Item("signatories", "Two unrelated signatories", True, detail)


def _safeguarding(facts: Facts) -> Item:
    lead = facts.offices.get("welfare_lead")
    if facts.safeguarding_policy_on and lead:
        return Item(
            "safeguarding",
            "Safeguarding policy and lead",
            True,
            f"Policy adopted or reviewed on {facts.safeguarding_policy_on:%d %B %Y}; lead: {lead}.",
        )
    if not facts.safeguarding_policy_on:
        return Item(
            "safeguarding",
            "Safeguarding policy and lead",
            False,
            "No safeguarding policy recorded.",
            "Adopt a safeguarding policy and record the date.",
        )
    return Item(
        "safeguarding",
        "Safeguarding policy and lead",
        False,
        "No safeguarding lead.",
        "Choose a welfare lead: they are the group's named safeguarding lead.",
    )


def _bank(facts: Facts) -> Item:
    title = "Bank account in the group's name, or a host"
    if facts.hosted_by and facts.bank_status != "open":
        return Item(
            "bank",
            title,
            True,
            f"Hosted: {facts.hosted_by} holds the group's money for it.",
            "When the group has its own account, it can graduate from hosting.",
        )
    if facts.bank_status == "not_started":
        return Item("bank", title, False, "Not started.", "Apply for a community bank account in the group's name.")
    if facts.bank_status == "applied":
        return Item(
            "bank", title, False, "Applied for.", "When the account opens, record its name and last four digits."
        )
    if facts.adopted_name and facts.bank_account_name != facts.adopted_name:
        return Item(
            "bank",
            title,
            False,
            f"The account name \u201c{facts.bank_account_name}\u201d is not the constitution's name "
            f"\u201c{facts.adopted_name}\u201d.",
            "Ask the bank to use the constitution's name exactly.",
        )
    if not facts.adopted_name:
        return Item(
            "bank",
            title,
            False,
            "Open, but there is no adopted constitution to check its name against.",
            "Adopt the constitution.",
        )
    return Item("bank", title, True, f"Open in the name {facts.bank_account_name}.")


def _agm(facts: Facts, today: date) -> Item:
    due = next_agm_due(facts)
    if due is None:
        return Item(
            "agm",
            "Next AGM date",
            False,
            "No date yet.",
            "Adopt the constitution: the first AGM is due within 15 months of the founding meeting.",
        )
    if due < today:
        return Item(
            "agm",
            "Next AGM date",
            False,
            f"Overdue: it was due by {due:%d %B %Y}.",
            "Give members notice and hold the annual general meeting.",
        )
    return Item("agm", "Next AGM date", True, f"Due by {due:%d %B %Y}.")


def checklist(facts: Facts, today: date) -> list[Item]:
    return [
        _constitution(facts),
        _committee(facts),
        _officers(facts),
        _signatories(facts),
        _safeguarding(facts),
        _bank(facts),
        _agm(facts, today),
    ]


def stage(facts: Facts, today: date) -> str:
    """forming -> constituted -> banked (or hosted) -> active; dormant when the AGM is overdue; closed when closed."""
    if facts.closed_on:
        return "closed"
    if not facts.adopted_name:
        return "forming"
    due = next_agm_due(facts)
    if due is not None and due < today:
        return "dormant"
    items = checklist(facts, today)
    if all(item.done for item in items):
        return "active"
    bank = next(item for item in items if item.key == "bank")
    if not bank.done:
        return "constituted"
    return "hosted" if facts.hosted_by and facts.bank_status != "open" else "banked"
