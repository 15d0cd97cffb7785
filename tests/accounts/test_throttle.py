"""Login throttling per account and source address, per address and per account, shared through the
database, never a permanent lock-out, and never one a stranger can impose on an account's owner at
their usual address (security.md row 4; brokerage/accounts/throttle.py)."""
import logging
from datetime import timedelta

from brokerage.core.values.roles import Role
from tests.conftest import PASSWORD, page_text


def _sign_in(client, email: str, password: str, ip: str = "203.0.113.5"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_repeated_wrong_passwords_for_one_account_are_throttled_before_the_twentieth(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    statuses = [_sign_in(client, user.email, f"wrong guess {n}").status_code for n in range(20)]
    assert statuses == [200] * 5 + [429] * 15


def test_the_right_password_is_refused_from_the_address_guessing_it(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    for n in range(20):
        _sign_in(client, user.email, f"wrong guess {n}")
    response = _sign_in(client, user.email, PASSWORD)
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


def test_a_successful_sign_in_clears_the_failures_from_that_address(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
    for n in range(limit - 1):
        _sign_in(client, user.email, f"wrong guess {n}")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
    client.post("/logout")
    for n in range(limit - 1):
        assert _sign_in(client, user.email, f"wrong again {n}").status_code == 200
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


HOME = "192.0.2.10"


def test_a_strangers_wrong_guesses_do_not_lock_the_owner_out(client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    for n in range(20):
        _sign_in(client, user.email, f"a stranger's guess {n}", ip="203.0.113.66")
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302


def test_guesses_from_many_addresses_are_throttled_at_the_accounts_own_limit(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    statuses = [_sign_in(client, user.email, f"guess {n}", ip=f"198.51.{n // 4}.{n}").status_code
                for n in range(limit + 10)]
    assert statuses == [200] * limit + [429] * 10
    assert _sign_in(client, user.email, PASSWORD, ip="192.0.2.200").status_code == 429


def test_the_owner_signs_in_from_their_usual_address_during_an_attack_from_many(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302
    client.post("/logout")
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 10):
        _sign_in(client, user.email, f"guess {n}", ip=f"198.51.{n // 4}.{n}")
    assert _sign_in(client, user.email, PASSWORD, ip="192.0.2.200").status_code == 429
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302


def test_the_usual_address_is_still_throttled_for_guesses_from_it(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302
    client.post("/logout")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
    statuses = [_sign_in(client, user.email, f"guess {n}", ip=HOME).status_code for n in range(limit + 1)]
    assert statuses == [200] * limit + [429]


def test_a_shared_address_spraying_other_accounts_does_not_stop_someone_who_signs_in_there(client, make_user,
                                                                                           fixed_now):
    user = make_user(Role.CHAMPION)
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302
    client.post("/logout")
    for n in range(20):
        _sign_in(client, f"someone{n}@example.org", "a wrong guess", ip=HOME)
    assert _sign_in(client, "someone-else@example.org", "a wrong guess", ip=HOME).status_code == 429
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302


def test_an_address_is_known_only_for_a_while(app, client, make_user, fixed_now):
    user = make_user(Role.CHAMPION)
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 302
    client.post("/logout")
    fixed_now(fixed_now.now() + app.config["LOGIN_KNOWN_ADDRESS_LIFETIME"] + timedelta(seconds=1))
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _sign_in(client, user.email, f"guess {n}", ip=f"198.51.{n // 4}.{n}")
    assert _sign_in(client, user.email, PASSWORD, ip=HOME).status_code == 429


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
