"""A readable comparison of two constitution versions: which clauses changed, with the text removed
and the text added (labelled in words, so the difference never depends on colour)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class ClauseChange:
    number: int
    title: str
    removed: list[str]
    added: list[str]


def _by_number(clauses: list[dict]) -> dict[int, dict]:
    return {clause["number"]: clause for clause in clauses}


def _sentences(clause: dict | None) -> list[str]:
    return list(clause["paragraphs"]) if clause else []


def compare_clauses(old: list[dict], new: list[dict]) -> list[ClauseChange]:
    """Only the clauses whose text differs, in clause order."""
    before, after = _by_number(old), _by_number(new)
    changes = []
    for number in sorted(set(before) | set(after)):
        old_text, new_text = _sentences(before.get(number)), _sentences(after.get(number))
        if old_text == new_text:
            continue
        removed, added = [], []
        matcher = difflib.SequenceMatcher(a=old_text, b=new_text, autojunk=False)
        for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
            if tag != "equal":
                removed.extend(old_text[a_start:a_end])
                added.extend(new_text[b_start:b_end])
        title = (after.get(number) or before[number])["title"]
        changes.append(ClauseChange(number=number, title=title, removed=removed, added=added))
    return changes
