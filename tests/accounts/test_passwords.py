"""Password hashing and policy (security.md rows 1 and 2), through the service and the pages."""
import re

import pytest
from sqlalchemy import select

from brokerage.accounts import services
from brokerage.accounts.models import User
from brokerage.accounts.passwords import hash_password, verify_password
from brokerage.core.values.roles import Role
from brokerage.errors import RuleViolation
from brokerage.extensions import db
from config import Config
from tests.conftest import PASSWORD, page_text

PASSPHRASE_128 = ("velvet otter " * 20)[:127] + "z"

ACCEPTED = [
    pytest.param("violet cab", id="10 characters"),
    pytest.param(PASSPHRASE_128, id="128 characters"),
    pytest.param("plum umbrella tractor", id="passphrase"),
    pytest.param("żółw jeździ rowerem", id="unicode"),
]
REFUSED = [
    pytest.param("violetcab", "at least 10 characters", id="9 characters"),
    pytest.param(PASSPHRASE_128 + "q", "128 characters or fewer", id="129 characters"),
    pytest.param("password", "at least 10 characters", id="short and common"),
    pytest.param("password12", "too common", id="common with digits"),
    pytest.param("Password123!", "too common", id="decorated common"),
    pytest.param("!!QWERTYUIOP!!", "too common", id="decorated keyboard walk"),
    pytest.param("letmein2026", "too common", id="common with a year"),
    pytest.param("1234567890", "too common", id="digits only"),
    pytest.param("abcdefghijk", "too easy to guess", id="sequence"),
    pytest.param("aaaaaaaaaaaa", "too easy to guess", id="repeated"),
]


@pytest.fixture
def production_hashing(app):
    app.config["PASSWORD_HASH_METHOD"] = Config.PASSWORD_HASH_METHOD
    return app


def _stored_hash(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.email == email))


def test_a_new_password_is_stored_with_scrypt_at_n_2_17(production_hashing, make_user):
    user = make_user(Role.CHAMPION)
    assert _stored_hash(production_hashing, user.email).startswith("scrypt:131072:8:1$")


@pytest.mark.parametrize("weak_method", ["pbkdf2:sha256:1000", "scrypt:32768:8:1"])
def test_signing_in_rehashes_a_password_stored_with_a_weaker_method(app, client, make_user, weak_method):
    app.config["PASSWORD_HASH_METHOD"] = weak_method
    user = make_user(Role.CHAMPION)
    assert _stored_hash(app, user.email).startswith(weak_method + "$")
    app.config["PASSWORD_HASH_METHOD"] = Config.PASSWORD_HASH_METHOD
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    stored = _stored_hash(app, user.email)
    assert stored.startswith("scrypt:131072:8:1$")
    assert verify_password(stored, PASSWORD)


@pytest.mark.parametrize("password", ACCEPTED)
def test_the_policy_accepts_long_passwords_without_composition_rules(app, password):
    with app.app_context():
        user = services.create_user(actor=None, email="dee@example.org", name="Dee", roles=[Role.CHAMPION],
                                    password=password)
        assert verify_password(user.password_hash, password)


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_the_policy_refuses_short_long_and_common_passwords(app, password, reason):
    with app.app_context():
        with pytest.raises(RuleViolation) as refused:
            services.create_user(actor=None, email="dee@example.org", name="Dee", roles=[Role.CHAMPION],
                                 password=password)
        assert refused.value.field == "password"
        assert reason in refused.value.message
        assert services.find_user_by_email("dee@example.org") is None


def test_a_password_made_of_the_users_own_name_is_refused(app):
    with app.app_context():
        with pytest.raises(RuleViolation, match="name or email"):
            services.create_user(actor=None, email="bernadette@example.org", name="Bernadette Lumb",
                                 roles=[Role.CHAMPION], password="bernadette")


@pytest.mark.parametrize("method", [Config.PASSWORD_HASH_METHOD, "pbkdf2:sha256:1000"])
def test_passwords_are_not_truncated_at_72_bytes(method):
    first = "x7 " * 24 + "first ending"
    second = "x7 " * 24 + "other ending"
    assert first[:72] == second[:72]
    stored = hash_password(first, method)
    assert verify_password(stored, first)
    assert not verify_password(stored, second)


def test_a_password_over_128_characters_never_verifies(app):
    with app.app_context():
        stored = hash_password(PASSPHRASE_128, app.config["PASSWORD_HASH_METHOD"])
    assert not verify_password(stored, PASSPHRASE_128 + "q")


@pytest.fixture
def invitation_link(app, make_user, fixed_now):
    coordinator = make_user(Role.COORDINATOR)
    with app.test_request_context():
        actor = db.session.get(User, coordinator.id)
        _, token = services.invite_user(actor=actor, email="new@example.org", name="New Person",
                                        roles=[Role.CHAMPION], now=fixed_now.now())
    return f"/set-password/{token}"


def _field_error(response, field_id: str) -> str:
    """The text of the error message shown next to a field."""
    match = re.search(rf'id="{field_id}-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert match, f"no error shown next to {field_id}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_the_set_password_page_shows_the_refusal_next_to_the_field(client, invitation_link, password, reason):
    response = client.post(invitation_link, data={"password": password, "confirm": password})
    assert response.status_code == 200
    assert reason in _field_error(response, "password")
    assert "There is a problem" in page_text(response)


@pytest.mark.parametrize("password", ACCEPTED)
def test_the_set_password_page_accepts_a_good_password_and_it_signs_in(client, invitation_link, password):
    response = client.post(invitation_link, data={"password": password, "confirm": password})
    assert response.status_code == 302
    assert client.post("/login", data={"email": "new@example.org", "password": password}).status_code == 302


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_the_change_password_page_shows_the_refusal_next_to_the_field(client, auth, password, reason):
    auth.login_as(Role.CHAMPION)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": password,
                                                      "confirm": password})
    assert response.status_code == 200
    assert reason in _field_error(response, "new_password")


def test_the_change_password_page_needs_the_current_password(client, auth):
    auth.login_as(Role.CHAMPION)
    response = client.post("/account/password", data={"current_password": "not my password at all",
                                                      "new_password": "violet cab", "confirm": "violet cab"})
    assert "Your current password is not right." in _field_error(response, "current_password")


@pytest.mark.parametrize("password", ACCEPTED)
def test_a_changed_password_signs_in_and_the_old_one_does_not(app, client, auth, password):
    user = auth.login_as(Role.CHAMPION)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": password,
                                                      "confirm": password})
    assert response.status_code == 302
    auth.logout()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": password}).status_code == 302
