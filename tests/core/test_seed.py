"""No default accounts with known passwords after seeding (security.md row 3); `flask seed` is idempotent."""
import json
import re

import pytest
from sqlalchemy import func, select

from brokerage.accounts.models import User
from brokerage.extensions import db
from brokerage.seeding import SEED_DIR
from tests.core.routing import row_counts

PRINTED_ACCOUNT = re.compile(r"^\s+(\S+@\S+)\s+(\S+)\s+\(", re.M)
KNOWN_PASSWORDS = ["admin", "password", "Password123", "changeme", "letmein", "123456", "demo", "secret",
                   "creativeminds", "correct horse battery staple"]
GENERIC_EMAILS = ["admin", "admin@example.org", "admin@example.com", "admin@localhost", "root@localhost",
                  "test@example.org", "demo@example.org", "coordinator@example.org"]


def _demo_emails() -> list[str]:
    return [row["email"] for row in json.loads((SEED_DIR / "users.json").read_text(encoding="utf-8"))]


@pytest.fixture
def seeded(app, runner):
    # Every guess below is wrong on purpose: lift the throttle so each one is really tried.
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS=10_000, LOGIN_MAX_FAILURES_PER_ACCOUNT=10_000,
                      LOGIN_MAX_FAILURES_PER_IP=10_000)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return result.output


def _signs_in(app, email: str, password: str) -> bool:
    return app.test_client().post("/login", data={"email": email, "password": password}).status_code == 302


def test_no_default_login_works_after_seeding(app, seeded):
    guesses = [(email, password) for email in GENERIC_EMAILS + _demo_emails() for password in KNOWN_PASSWORDS]
    guesses += [(email, email) for email in _demo_emails()]
    guesses += [(email, email.split("@")[0]) for email in _demo_emails()]
    assert [guess for guess in guesses if _signs_in(app, *guess)] == []


def test_the_passwords_printed_by_seed_sign_in(app, seeded):
    printed = PRINTED_ACCOUNT.findall(seeded)
    assert sorted(email for email, _ in printed) == sorted(_demo_emails())
    assert [email for email, password in printed if not _signs_in(app, email, password)] == []


def test_each_demo_account_gets_its_own_random_password(seeded):
    printed = dict(PRINTED_ACCOUNT.findall(seeded))
    assert len(set(printed.values())) == len(printed)
    assert all(len(password) >= 10 for password in printed.values())


def test_seeding_twice_creates_nothing_and_prints_no_passwords(app, runner, seeded):
    with app.app_context():
        before = row_counts()
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert row_counts() == before
    assert PRINTED_ACCOUNT.findall(again.output) == []
    assert not any(password in again.output for _, password in PRINTED_ACCOUNT.findall(seeded))


def test_seeding_without_demo_data_creates_no_accounts(app, runner):
    result = runner.invoke(args=["seed", "--no-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
    assert "@" not in result.output
