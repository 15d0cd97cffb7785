"""Production refuses unsafe settings (security.md row 21) and sets secure cookies and HSTS (rows 6, 17);
no environment serves with the testing configuration's public key."""
import secrets

import pytest
from flask import url_for

from brokerage import create_app
from config import DEV_SECRET_KEY, DevelopmentConfig, ProductionConfig, TestingConfig

STRONG_KEY = "9c1f4e07b2d85a63e0f7c4a91b3d6e28f5a07c19d4b2e86a3f0c75d19e2b4a68"  # secrets.token_hex(32)
PUBLIC_URL = "https://brokerage.example"


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "FLASK_DEBUG", "DATABASE_URL", "TRUSTED_PROXY_COUNT", "PUBLIC_URL", "PASSWORD_HASH_METHOD"):
        monkeypatch.delenv(name, raising=False)
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'production.sqlite3'}", "PUBLIC_URL": PUBLIC_URL}


def production_app(overrides: dict):
    return create_app(ProductionConfig, {"SECRET_KEY": STRONG_KEY, **overrides})


@pytest.mark.parametrize("key", [DEV_SECRET_KEY, "test-secret", "", "3f9a1c7e5b2d4f6a8c0e" + "k" * 11],
                         ids=["development key", "test key", "empty", "31 characters"])
def test_production_refuses_a_default_or_short_secret_key(production_env, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, {**production_env, "SECRET_KEY": key})


def test_production_without_any_secret_key_set_refuses_to_start(production_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig, production_env)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_production_refuses_to_start_with_flask_debug_on(production_env, monkeypatch, value):
    monkeypatch.setenv("FLASK_DEBUG", value)
    with pytest.raises(RuntimeError, match="Debug"):
        production_app(production_env)


def test_production_refuses_to_start_with_debug_configured(production_env):
    with pytest.raises(RuntimeError, match="Debug"):
        production_app({**production_env, "DEBUG": True})


def test_production_reads_the_secret_key_from_the_environment(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    app = create_app(ProductionConfig, production_env)
    assert app.secret_key == STRONG_KEY


def test_production_marks_the_session_cookie_secure(production_env):
    app = production_app(production_env)
    response = app.test_client().get("/login", base_url="https://brokerage.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_production_sends_strict_transport_security(production_env):
    response = production_app(production_env).test_client().get("/", base_url="https://brokerage.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_development_and_tests_send_no_strict_transport_security(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_an_unknown_environment_name_refuses_to_start(monkeypatch):
    monkeypatch.setenv("BROKERAGE_ENV", "staging")
    with pytest.raises(RuntimeError, match="BROKERAGE_ENV"):
        create_app()


def test_a_bare_start_uses_the_production_rules(monkeypatch):
    monkeypatch.delenv("BROKERAGE_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("method", ["pbkdf2:sha256:1000", "scrypt:32768:8:1", "md5"])
def test_production_refuses_a_weak_password_hash_method_from_the_environment(production_env, monkeypatch, method):
    monkeypatch.setenv("PASSWORD_HASH_METHOD", method)
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_METHOD"):
        production_app(production_env)


def test_outside_production_the_password_hash_method_can_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    app = create_app(DevelopmentConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.sqlite3'}"})
    assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1000"


@pytest.mark.parametrize("key", [
    "a" * 32, "a" * 64, "ab" * 32, "0123456789abcdef" * 4, "abcdefghijklmnopqrstuvwxyz012345",
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "k" * 20 + "3f9a1c7e5b2d4f6a8c0e",
    "changeme" * 8, "password1234" * 3, "Tr0ub4dor&3" * 4,
], ids=["32 identical", "64 identical", "two alternating", "hex alphabet repeated", "alphabet in order",
        "every letter and digit in order", "half one letter", "word repeated", "password repeated",
        "phrase repeated"])
def test_production_refuses_a_long_but_guessable_secret_key(production_env, key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is too predictable"):
        create_app(ProductionConfig, {**production_env, "SECRET_KEY": key})


@pytest.mark.parametrize("generate", [lambda: secrets.token_hex(32), lambda: secrets.token_urlsafe(32),
                                      lambda: secrets.token_urlsafe(48)],
                         ids=["token_hex(32)", "token_urlsafe(32)", "token_urlsafe(48)"])
def test_production_accepts_any_key_from_the_secrets_module(generate):
    config = {name: getattr(ProductionConfig, name) for name in dir(ProductionConfig) if name.isupper()}
    for _ in range(500):
        ProductionConfig.validate({**config, "SECRET_KEY": generate(), "PUBLIC_URL": PUBLIC_URL})


def test_the_testing_configuration_never_serves_from_the_environment(monkeypatch):
    """`gunicorn run:app` with BROKERAGE_ENV=testing would sign sessions with a published key."""
    monkeypatch.setenv("BROKERAGE_ENV", "testing")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="BROKERAGE_ENV=testing is for the test suite only"):
        create_app()
    assert create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}).testing  # as the suite builds it


def test_production_refuses_to_start_without_its_public_url(production_env):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        production_app({**production_env, "PUBLIC_URL": ""})


@pytest.mark.parametrize("url", ["http://brokerage.example", "brokerage.example", "https://brokerage.example/app",
                                 "https://user@brokerage.example", "https://"])
def test_production_refuses_a_public_url_that_is_not_a_bare_https_address(production_env, url):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        production_app({**production_env, "PUBLIC_URL": url})


def test_production_reads_its_public_url_from_the_environment(production_env, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://Brokerage.Example.org")
    app = production_app({key: value for key, value in production_env.items() if key != "PUBLIC_URL"})
    assert (app.config["SERVER_NAME"], app.config["PREFERRED_URL_SCHEME"]) == ("brokerage.example.org", "https")


def test_absolute_urls_in_production_ignore_a_hostile_host_header(production_env):
    app = production_app(production_env)
    with app.test_request_context("/", base_url="http://evil.example", headers={"X-Forwarded-Proto": "http"}):
        assert url_for("core.home", _external=True) == "https://brokerage.example/"
        assert url_for("accounts.set_password", token="t", _external=True) == "https://brokerage.example/set-password/t"


def test_production_still_answers_requests_for_another_host_name(production_env):
    """Flask 3.1 does not refuse other hosts when SERVER_NAME is set: a load balancer's health check
    by IP address still gets its answer (the reverse proxy decides which names reach the app)."""
    response = production_app(production_env).test_client().get("/login", base_url="https://10.0.0.5:8000")
    assert response.status_code == 200


@pytest.mark.parametrize("settings, message", [
    ({"MAIL_DEFAULT_SENDER": "not an address"}, "MAIL_DEFAULT_SENDER must be one email address"),
    ({"MAIL_DEFAULT_SENDER": "a@example.org, b@example.org"}, "MAIL_DEFAULT_SENDER must be one email address"),
    ({"MAIL_DEFAULT_SENDER": "team@example.org\r\nBcc: x@example.org"}, "MAIL_DEFAULT_SENDER"),
    ({"MAIL_REPLY_TO": "help at example.org"}, "MAIL_REPLY_TO must be empty or one email address"),
    ({"MAIL_USE_TLS": "true", "MAIL_USE_SSL": "true"}, "not both"),
    ({"MAIL_PORT": "smtp"}, "MAIL_PORT must be a port number"),
    ({"MAIL_USE_TLS": "perhaps"}, "MAIL_USE_TLS must be true or false"),
    ({"MAIL_USERNAME": "relay-user"}, "Set both MAIL_USERNAME and MAIL_PASSWORD"),
], ids=["no @", "two addresses", "header injection", "reply-to", "tls and ssl", "port", "yes or no", "half a login"])
def test_malformed_mail_settings_refuse_to_start(monkeypatch, tmp_path, settings, message):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'mail.sqlite3'}")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=message):
        create_app(DevelopmentConfig)


def test_mail_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'mail.sqlite3'}")
    for name, value in {"MAIL_SERVER": "send.nhs.net", "MAIL_PORT": "587", "MAIL_USE_TLS": "true",
                        "MAIL_USERNAME": "team@nhs.net", "MAIL_PASSWORD": "secret",
                        "MAIL_DEFAULT_SENDER": "Creative Minds <team@nhs.net>", "MAIL_REPLY_TO": "help@nhs.net"}.items():
        monkeypatch.setenv(name, value)
    config = create_app(DevelopmentConfig).config
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"], config["MAIL_USE_SSL"]) == (
        "send.nhs.net", 587, True, False)
    assert config["MAIL_DEFAULT_SENDER"] == "Creative Minds <team@nhs.net>"


def test_only_development_delivers_from_the_server_process(app):
    from brokerage.notifications.delivery import start_background_delivery

    assert DevelopmentConfig.NOTIFICATIONS_DELIVER_IN_PROCESS is True
    assert ProductionConfig.NOTIFICATIONS_DELIVER_IN_PROCESS is False
    assert start_background_delivery(app) is None  # the test app is neither
