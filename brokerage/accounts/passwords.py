"""Password policy and hashing (security.md rows 1 and 2).

Policy, after NCSC and NIST SP 800-63B: 10 to 128 characters, no composition rules, no
truncation, and no common or guessable passwords.
"""

import re
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import RuleViolation

MIN_LENGTH = 10
MAX_LENGTH = 128
_DECORATION = re.compile(r"^[\d\W_]*(.*?)[\d\W_]*$")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    lines = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_sequence(value: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in zip(value, value[1:], strict=False)}
    return len(steps) == 1 and steps.pop() in {-1, 0, 1}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The reason `password` is refused, in plain words, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. A few unrelated words make a strong password."
    if len(password) > MAX_LENGTH:
        return f"Use {MAX_LENGTH} characters or fewer."
    lowered = password.lower()
    # A line break stops `.`, so a password holding one may not match: its stem is then the whole.
    decorated = _DECORATION.match(lowered)
    stem = decorated.group(1) if decorated else lowered
    common = _common_passwords()
    if lowered in common or stem in common or not stem:
        return "That password is too common. Choose something harder to guess, such as three unrelated words."
    if _is_sequence(lowered) or len(set(lowered)) <= 2:
        return "That password is too easy to guess. Avoid repeated characters and simple sequences."
    personal = {part for part in re.split(r"[@.\s_-]+", f"{email} {name}".lower()) if len(part) >= 4}
    if stem in personal or lowered == email.lower():
        return "Do not use your name or email address as your password."
    return None


def check_acceptable(password: str, *, email: str, name: str, field: str) -> None:
    """Raise RuleViolation, on `field`, with the reason `password` is refused."""
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise RuleViolation(problem, field=field)


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash or len(password) > MAX_LENGTH:
        return False
    return check_password_hash(stored_hash, password)


def needs_rehash(stored_hash: str, method: str) -> bool:
    return not stored_hash.startswith(method + "$")
