"""Login throttling per account and per IP (security.md row 4).

Failures are rows in the database, so every worker and host shares the count; a sliding
window means nobody is locked out for good: once the window passes, sign-in works again.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..extensions import db
from .models import LoginFailure
from .tokens import keyed_hash


@dataclass(frozen=True)
class ThrottlePolicy:
    secret: str
    window: timedelta
    max_per_account: int
    max_per_ip: int


def _keys(policy: ThrottlePolicy, email: str, ip: str) -> tuple[str, str]:
    return keyed_hash(policy.secret, "account:" + email), keyed_hash(policy.secret, "ip:" + ip)


def _failures_since(key: str, since: datetime) -> int:
    return db.session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key, LoginFailure.at > since)) or 0


def is_throttled(*, policy: ThrottlePolicy, email: str, ip: str, now: datetime) -> bool:
    account_key, ip_key = _keys(policy, email, ip)
    since = now - policy.window
    return (_failures_since(account_key, since) >= policy.max_per_account
            or _failures_since(ip_key, since) >= policy.max_per_ip)


def record_failure(*, policy: ThrottlePolicy, email: str, ip: str, now: datetime) -> None:
    account_key, ip_key = _keys(policy, email, ip)
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - policy.window))
    db.session.add_all([LoginFailure(key=account_key, at=now), LoginFailure(key=ip_key, at=now)])
    db.session.flush()


def clear_account_failures(*, policy: ThrottlePolicy, email: str) -> None:
    account_key = keyed_hash(policy.secret, "account:" + email)
    db.session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
