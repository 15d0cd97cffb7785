"""Who counts as unrelated: pure functions over declared relationships (no database).

Family and partners relate the two people named. Living at the same address is transitive:
if A lives with B and B lives with C, then A and C share an address too.
"""
from collections.abc import Iterable
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
        if not any(all(frozenset(pair) not in pairs for pair in combinations(chosen, 2))
                   for chosen in combinations(people, size)):
            break
        best = size
    return best
