"""Login throttling per account and per IP, shared through the database, never a permanent
lock-out (security.md row 4)."""
import logging
from datetime import timedelta

from brokerage.accounts.roles import Role
from tests.conftest import PASSWORD, page_text


def _sign_in(client, email: str, password: str, ip: str = "203.0.113.5"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_repeated_wrong_passwords_for_one_account_are_throttled_before_the_twentieth(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    statuses = [_sign_in(client, user.email, f"wrong guess {n}", ip=f"198.51.100.{n}").status_code
                for n in range(20)]
    assert 429 in statuses
    assert statuses.index(429) < 19
    assert set(statuses[statuses.index(429):]) == {429}


def test_the_right_password_is_refused_while_the_account_is_throttled(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    for n in range(20):
        _sign_in(client, user.email, f"wrong guess {n}")
    response = _sign_in(client, user.email, PASSWORD, ip="192.0.2.77")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    assert "Too many attempts to sign in" in page_text(response)
    assert client.get("/dashboard").status_code == 302


def test_the_right_password_works_again_once_the_window_has_passed(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    for n in range(20):
        _sign_in(client, user.email, f"wrong guess {n}")
    fixed_now(fixed_now.now() + app.config["LOGIN_WINDOW"] - timedelta(seconds=1))
    assert _sign_in(client, user.email, PASSWORD).status_code == 429
    fixed_now(fixed_now.now() + timedelta(seconds=2))
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    assert client.get("/dashboard").status_code == 200


def test_one_address_guessing_across_many_accounts_is_throttled(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    statuses = [_sign_in(client, f"someone{n}@example.org", "a wrong guess").status_code for n in range(20)]
    assert 429 in statuses
    assert statuses.index(429) < 19
    assert _sign_in(client, user.email, PASSWORD).status_code == 429


def test_a_throttled_address_does_not_stop_the_same_account_from_another_address(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    for n in range(20):
        _sign_in(client, f"someone{n}@example.org", "a wrong guess", ip="203.0.113.9")
    assert _sign_in(client, user.email, PASSWORD, ip="203.0.113.10").status_code == 302


def test_a_successful_sign_in_clears_the_accounts_failures(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for n in range(limit - 1):
        _sign_in(client, user.email, f"wrong guess {n}", ip=f"198.51.100.{n}")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for n in range(limit - 1):
        assert _sign_in(client, user.email, f"wrong again {n}", ip=f"198.51.100.{n}").status_code == 200
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def test_throttling_counts_are_shared_by_every_worker(app, make_user, fixed_now):
    """Two clients stand for two workers: the count lives in the database, not in a process."""
    user = make_user(Role.CHAMPION)
    first, second = app.test_client(), app.test_client()
    for n in range(10):
        _sign_in(first if n % 2 else second, user.email, f"wrong guess {n}")
    assert _sign_in(first, user.email, PASSWORD).status_code == 429


def test_failed_and_throttled_sign_ins_are_logged_without_the_password_or_email(client, make_user, fixed_now,
                                                                               caplog):
    user = make_user(Role.CHAMPION)
    with caplog.at_level(logging.INFO, logger="brokerage"):
        for n in range(8):
            _sign_in(client, user.email, f"secret guess {n}")
    messages = [record.getMessage() for record in caplog.records if record.name == "brokerage.security"]
    assert any("failed sign-in" in message for message in messages)
    assert any("429" in message for message in messages)
    assert not any("secret guess" in message or user.email in message for message in messages)
