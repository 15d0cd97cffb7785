"""Configuration classes; secrets and the database URL come from the environment."""
import os
import re
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # refused by ProductionConfig.validate


def sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'brokerage.sqlite3'}"


class Config:
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = ""  # filled from DATABASE_URL, or the SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DEBUG = False
    TESTING = False

    # Passwords: scrypt N=2^17, r=8, p=1 (security.md row 1).
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    # Login throttling, shared through the database (brokerage/accounts/throttle.py): failures counted
    # per account and source address; per address and per account only from addresses the account has
    # not signed in from within LOGIN_KNOWN_ADDRESS_LIFETIME, so a stranger cannot lock its owner out.
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
    LOGIN_MAX_FAILURES_PER_IP = 15
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 30
    LOGIN_KNOWN_ADDRESS_LIFETIME = timedelta(days=90)
    # Sessions: server-side records checked on every request.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=60)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    INVITATION_LIFETIME = timedelta(days=7)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "brokerage_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    HSTS = False
    SERVICE_NAME = "Creative Minds brokerage"
    # SWEMWBS wording is licensed: set these only where the deployment holds the licence (7 statements;
    # 5 answer anchors). Unset, the forms show neutral labels (brokerage/outcomes/swemwbs.py).
    SWEMWBS_ITEMS: list[str] | None = None
    SWEMWBS_CHOICES: list[str] | None = None
    # Open data (/api/v1/grants, 360Giving): grant ids are 360G-<GRANTS_PREFIX>-<award id>.
    GRANTS_PREFIX = "creativeminds"
    GRANTS_FUNDER_ID = "GB-NHS-RXG"  # South West Yorkshire Partnership NHS Foundation Trust (ODS code RXG)
    GRANTS_FUNDER_NAME = "South West Yorkshire Partnership NHS Foundation Trust"
    # The release year of the ONS Postcode Directory in use, for the footer's attribution (the
    # licence asks for it); unset, the current year is shown.
    POSTCODE_DATA_YEAR: int | None = None
    # Optional online geocoder that helps coordinators and champions place a venue from its
    # address (never used for a service user's search). Off unless GEOCODER is "nominatim";
    # Nominatim's usage policy asks for a user agent that identifies the service and a contact.
    GEOCODER = ""
    GEOCODER_USER_AGENT = ""
    GEOCODER_DOMAIN = "nominatim.openstreetmap.org"
    GEOCODER_TIMEOUT = 5.0  # seconds to wait for an answer
    GEOCODER_MIN_DELAY = 1.0  # seconds between requests from one process (the policy's maximum rate)

    @staticmethod
    def validate(config: dict) -> None:
        """Raise if the configuration is unsafe to serve with."""
        check_geocoder(config)


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    # Cheap hashing keeps the suite fast; the production method is tested on its own.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    HSTS = True

    @staticmethod
    def validate(config: dict) -> None:
        """Production refuses a default or short SECRET_KEY and debug mode (security.md row 21)."""
        Config.validate(config)
        key = config.get("SECRET_KEY") or ""
        if key in {DEV_SECRET_KEY, TestingConfig.SECRET_KEY} or len(key) < 32:
            raise RuntimeError("Set SECRET_KEY to a random value of at least 32 characters before serving in production.")
        if config.get("DEBUG") or os.environ.get("FLASK_DEBUG", "").lower() in {"1", "true", "yes"}:
            raise RuntimeError("Debug mode must be off in production.")
        if not strong_password_hashing(config.get("PASSWORD_HASH_METHOD") or ""):
            raise RuntimeError("PASSWORD_HASH_METHOD must be scrypt with N of at least 2^17 (scrypt:131072:8:1) or "
                               "pbkdf2:sha256 with at least 600000 iterations in production.")


def strong_password_hashing(method: str) -> bool:
    """security.md row 1: scrypt N >= 2^17, or pbkdf2-sha256 with >= 600,000 iterations."""
    if match := re.fullmatch(r"scrypt:(\d+):\d+:\d+", method):
        return int(match.group(1)) >= 2**17
    if match := re.fullmatch(r"pbkdf2:sha256:(\d+)", method):
        return int(match.group(1)) >= 600_000
    return False


def check_geocoder(config: dict) -> None:
    """The geocoder, when switched on, identifies itself and never asks more than once a second."""
    name = config.get("GEOCODER") or ""
    if name not in {"", "nominatim"}:
        raise RuntimeError(f"GEOCODER must be empty (off) or nominatim, not {name!r}.")
    if name and not (config.get("GEOCODER_USER_AGENT") or "").strip():
        raise RuntimeError("Set GEOCODER_USER_AGENT to name this service and a contact, as Nominatim's "
                           "usage policy requires, e.g. 'creative-minds-brokerage (it@example.org)'.")
    if not config.get("GEOCODER_MIN_DELAY", 0) >= 1:
        raise RuntimeError("GEOCODER_MIN_DELAY must be at least 1 second (Nominatim's usage policy).")
    if not 0 < config.get("GEOCODER_TIMEOUT", 0) <= 60:
        raise RuntimeError("GEOCODER_TIMEOUT must be more than 0 and at most 60 seconds.")


def directory_overrides(env: dict) -> dict:
    """The postcode data's year and the optional geocoder's settings, checked as they are read."""
    overrides: dict = {}
    year = (env.get("POSTCODE_DATA_YEAR") or "").strip()
    if year:
        if not re.fullmatch(r"(19|20)\d\d", year):
            raise RuntimeError(f"POSTCODE_DATA_YEAR must be a year like 2026, not {year!r}.")
        overrides["POSTCODE_DATA_YEAR"] = int(year)
    for name in ("GEOCODER", "GEOCODER_USER_AGENT", "GEOCODER_DOMAIN"):
        if env.get(name):
            overrides[name] = env[name].strip()
    for name in ("GEOCODER_TIMEOUT", "GEOCODER_MIN_DELAY"):
        if env.get(name):
            overrides[name] = _seconds(env, name)
    return overrides


def _seconds(env: dict, name: str) -> float:
    try:
        return float(env[name])
    except ValueError:
        raise RuntimeError(f"{name} must be a number of seconds, not {env[name]!r}.") from None


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def config_from_environment() -> type[Config]:
    """BROKERAGE_ENV picks the configuration; production unless told otherwise, so that
    a bare `gunicorn run:app` is safe (`make run` sets BROKERAGE_ENV=development)."""
    name = os.environ.get("BROKERAGE_ENV", "production")
    if name not in CONFIGS:
        raise RuntimeError(f"BROKERAGE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]


def environment_overrides(env: dict) -> dict:
    """Settings read from the environment when the app is created (not at import)."""
    overrides: dict = {}
    if env.get("SECRET_KEY"):
        overrides["SECRET_KEY"] = env["SECRET_KEY"]
    overrides["SQLALCHEMY_DATABASE_URI"] = env.get("DATABASE_URL") or sqlite_default()
    # E.g. a cheap method for tests against a live server; ProductionConfig.validate refuses a weak one.
    if env.get("PASSWORD_HASH_METHOD"):
        overrides["PASSWORD_HASH_METHOD"] = env["PASSWORD_HASH_METHOD"]
    if env.get("GRANTS_PREFIX"):
        overrides["GRANTS_PREFIX"] = env["GRANTS_PREFIX"]
    overrides.update(directory_overrides(env))
    return overrides
