"""Production refuses unsafe settings (security.md row 21) and sets secure cookies and HSTS (rows 6, 17)."""
import pytest

from brokerage import create_app
from config import DEV_SECRET_KEY, DevelopmentConfig, ProductionConfig

STRONG_KEY = "k" * 20 + "3f9a1c7e5b2d4f6a8c0e"  # 40 characters


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "FLASK_DEBUG", "DATABASE_URL", "TRUSTED_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    return {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'production.sqlite3'}"}


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
