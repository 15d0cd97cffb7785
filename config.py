"""Configuration classes; secrets and the database URL come from the environment."""
import math
import os
import re
from collections import Counter
from datetime import timedelta
from email.utils import getaddresses, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # refused by ProductionConfig.validate
MIN_SECRET_KEY_BITS = 128


def sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'brokerage.sqlite3'}"


class Config:
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = ""  # filled from DATABASE_URL, or the SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # The address people use, e.g. https://brokerage.example.org: absolute URLs (links to set a
    # password or answer a questionnaire, calendar files, the API) are built from it, never from a
    # request's Host header. Sets SERVER_NAME and PREFERRED_URL_SCHEME (public_url_settings).
    PUBLIC_URL = ""
    DEBUG = False
    TESTING = False
    # Reverse proxies in front of the app whose X-Forwarded-* and X-Request-ID headers are believed.
    TRUSTED_PROXY_COUNT = 0
    # "json": one JSON object a log line (production); "text": Python's plain lines (development).
    LOG_FORMAT = "text"

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
    # Forgotten passwords (brokerage/accounts/reset.py): a link works once, for an hour; requests are
    # counted per address asked about and per source address over LOGIN_WINDOW, and every answer takes
    # at least PASSWORD_RESET_MIN_SECONDS, whether or not the address has an account.
    PASSWORD_RESET_LIFETIME = timedelta(hours=1)
    PASSWORD_RESET_MAX_PER_ADDRESS = 3
    PASSWORD_RESET_MAX_PER_IP = 10
    PASSWORD_RESET_MIN_SECONDS = 0.4
    # Applications to become a community partner (brokerage/partners/applications/): per source address
    # a LOGIN_WINDOW; more are thanked and dropped.
    PARTNER_APPLICATIONS_MAX_PER_IP = 5

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
    # Email (README, "Notifications"): an SMTP relay, e.g. NHSmail's. No MAIL_SERVER: messages are
    # written to the app log instead (the console transport) and stay visible on the outbox page.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting (usually port 587)
    MAIL_USE_SSL = False  # TLS from the start (usually port 465)
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_DEFAULT_SENDER = "Creative Minds <no-reply@localhost>"
    MAIL_REPLY_TO = ""
    MAIL_TIMEOUT = 30.0  # seconds to wait for the mail server
    # `python run.py` (development) delivers the outbox from a thread in the server process;
    # production runs `flask notifications deliver` as its own service.
    NOTIFICATIONS_DELIVER_IN_PROCESS = False

    @staticmethod
    def validate(config: dict) -> None:
        """Raise if the configuration is unsafe to serve with."""
        check_geocoder(config)
        check_mail(config)


class DevelopmentConfig(Config):
    NOTIFICATIONS_DELIVER_IN_PROCESS = True
    # With no mail server, the console transport logs each whole message (links included) only here.
    MAIL_CONSOLE_SHOWS_MESSAGES = True


class TestingConfig(Config):
    TESTING = True
    MAIL_CONSOLE_SHOWS_MESSAGES = True
    SECRET_KEY = "test-secret"
    # Cheap hashing keeps the suite fast; the production method is tested on its own.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    PASSWORD_RESET_MIN_SECONDS = 0.05


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    HSTS = True
    LOG_FORMAT = "json"

    @staticmethod
    def validate(config: dict) -> None:
        """Production refuses a default, short or guessable SECRET_KEY, debug mode (security.md
        row 21), and serving without the https PUBLIC_URL its absolute URLs are built from."""
        Config.validate(config)
        check_secret_key(config.get("SECRET_KEY") or "")
        if config.get("DEBUG") or os.environ.get("FLASK_DEBUG", "").lower() in {"1", "true", "yes"}:
            raise RuntimeError("Debug mode must be off in production.")
        if not strong_password_hashing(config.get("PASSWORD_HASH_METHOD") or ""):
            raise RuntimeError("PASSWORD_HASH_METHOD must be scrypt with N of at least 2^17 (scrypt:131072:8:1) or "
                               "pbkdf2:sha256 with at least 600000 iterations in production.")
        if not config.get("PUBLIC_URL", "").startswith("https://"):
            raise RuntimeError("Set PUBLIC_URL to the https address people use, e.g. https://brokerage.example.org: "
                               "links in messages, calendar files and the API are built from it, never from the "
                               "Host header a request sends.")


def strong_password_hashing(method: str) -> bool:
    """security.md row 1: scrypt N >= 2^17, or pbkdf2-sha256 with >= 600,000 iterations."""
    if match := re.fullmatch(r"scrypt:(\d+):\d+:\d+", method):
        return int(match.group(1)) >= 2**17
    if match := re.fullmatch(r"pbkdf2:sha256:(\d+)", method):
        return int(match.group(1)) >= 600_000
    return False


GENERATE_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


def check_secret_key(key: str) -> None:
    if key in {DEV_SECRET_KEY, TestingConfig.SECRET_KEY} or len(key) < 32:
        raise RuntimeError(f"Set SECRET_KEY to a random value of at least 32 characters before serving in "
                           f"production, e.g. the output of {GENERATE_KEY}")
    bits = secret_key_bits(key)
    if bits < MIN_SECRET_KEY_BITS:
        raise RuntimeError(f"SECRET_KEY is too predictable to serve in production (about {bits:.0f} bits of "
                           f"randomness; at least {MIN_SECRET_KEY_BITS} are needed). Use the output of {GENERATE_KEY}")


def _shannon_bits(items) -> float:
    counts, total = Counter(items), len(items)
    return -sum(count / total * math.log2(count / total) for count in counts.values()) if total else 0.0


def secret_key_bits(key: str) -> float:
    """A cautious estimate of a key's randomness: the characters that do not repeat an earlier
    run of three, times the bits each carries, judged both by how varied the characters are and by
    how varied the steps between neighbours are (so 'abcd...' and '0123...' count for little).
    secrets.token_hex(32) scores over 200, token_urlsafe(32) over 170, 'a' * 32 zero."""
    if len(key) < 2:
        return 0.0
    steps = [ord(after) - ord(before) for before, after in zip(key, key[1:])]
    per_character = min(_shannon_bits(key), _shannon_bits(steps))
    fresh = min(len(key), len({key[index:index + 3] for index in range(len(key) - 2)}) + 2)
    return max(0.0, fresh * per_character)


def public_url_settings(url: str) -> dict:
    """PUBLIC_URL 'https://brokerage.example.org' -> the settings Flask builds absolute URLs from.
    Flask 3.1 does not refuse requests for other hosts because SERVER_NAME is set."""
    parts = urlsplit(url.strip())
    if (parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}
            or parts.query or parts.fragment or parts.username or parts.password):
        raise RuntimeError(f"PUBLIC_URL must be the site's address, like https://brokerage.example.org "
                           f"(no path), not {url!r}.")
    return {"PUBLIC_URL": f"{parts.scheme}://{parts.netloc.lower()}", "SERVER_NAME": parts.netloc.lower(),
            "PREFERRED_URL_SCHEME": parts.scheme}


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


def _address_is_well_formed(value: str) -> bool:
    """One address, optionally with a display name: 'Creative Minds <team@example.org>'."""
    if not value or any(character in value for character in "\r\n"):
        return False
    if len(getaddresses([value])) != 1:
        return False
    name, address = parseaddr(value)
    return bool(re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;.][^@\s<>,;]*", address) and address in value)


def check_mail(config: dict) -> None:
    """Mail settings that could never deliver refuse to start, saying which and why."""
    if config.get("MAIL_USE_TLS") and config.get("MAIL_USE_SSL"):
        raise RuntimeError("Set MAIL_USE_TLS (STARTTLS, usually port 587) or MAIL_USE_SSL (usually port 465), "
                           "not both.")
    if not _address_is_well_formed(config.get("MAIL_DEFAULT_SENDER") or ""):
        raise RuntimeError(f"MAIL_DEFAULT_SENDER must be one email address, like "
                           f"'Creative Minds <team@example.org>', not {config.get('MAIL_DEFAULT_SENDER')!r}.")
    reply_to = config.get("MAIL_REPLY_TO") or ""
    if reply_to and not _address_is_well_formed(reply_to):
        raise RuntimeError(f"MAIL_REPLY_TO must be empty or one email address, not {reply_to!r}.")
    if not 0 < int(config.get("MAIL_PORT") or 0) < 65536:
        raise RuntimeError(f"MAIL_PORT must be a port number, not {config.get('MAIL_PORT')!r}.")
    if bool(config.get("MAIL_USERNAME")) != bool(config.get("MAIL_PASSWORD")):
        raise RuntimeError("Set both MAIL_USERNAME and MAIL_PASSWORD, or neither.")


def _yes(value: str, name: str) -> bool:
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"", "0", "false", "no", "off"}:
        return False
    raise RuntimeError(f"{name} must be true or false, not {value!r}.")


def mail_overrides(env: dict) -> dict:
    """The MAIL_* settings, read as the usual Flask-Mail names."""
    overrides: dict = {}
    for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_DEFAULT_SENDER", "MAIL_REPLY_TO"):
        if name in env:
            overrides[name] = env[name].strip()
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if name in env:
            overrides[name] = _yes(env[name], name)
    if env.get("MAIL_PORT"):
        if not env["MAIL_PORT"].strip().isdigit():
            raise RuntimeError(f"MAIL_PORT must be a port number, not {env['MAIL_PORT']!r}.")
        overrides["MAIL_PORT"] = int(env["MAIL_PORT"])
    if env.get("MAIL_TIMEOUT"):
        overrides["MAIL_TIMEOUT"] = _seconds(env, "MAIL_TIMEOUT")
    return overrides


def logging_overrides(env: dict) -> dict:
    """TRUSTED_PROXY_COUNT and LOG_FORMAT, checked as they are read."""
    overrides: dict = {}
    count = (env.get("TRUSTED_PROXY_COUNT") or "").strip()
    if count:
        if not count.isdigit():
            raise RuntimeError(f"TRUSTED_PROXY_COUNT must be a whole number of proxies, like 1, not {count!r}.")
        overrides["TRUSTED_PROXY_COUNT"] = int(count)
    log_format = (env.get("LOG_FORMAT") or "").strip().lower()
    if log_format:
        if log_format not in {"json", "text"}:
            raise RuntimeError(f"LOG_FORMAT must be json or text, not {env['LOG_FORMAT']!r}.")
        overrides["LOG_FORMAT"] = log_format
    return overrides


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def config_from_environment() -> type[Config]:
    """BROKERAGE_ENV picks the configuration; production unless told otherwise, so that
    a bare `gunicorn run:app` is safe (`make run` sets BROKERAGE_ENV=development). The testing
    configuration signs sessions with a key published in this file, so it never serves: the test
    suite passes TestingConfig to create_app itself."""
    name = os.environ.get("BROKERAGE_ENV", "production")
    if name == "testing":
        raise RuntimeError("BROKERAGE_ENV=testing is for the test suite only (its SECRET_KEY is public): "
                           "serve with production, or development on your own machine.")
    if name not in CONFIGS:
        raise RuntimeError(f"BROKERAGE_ENV must be one of production, development, not {name!r}.")
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
    if env.get("PUBLIC_URL"):
        overrides["PUBLIC_URL"] = env["PUBLIC_URL"]
    if env.get("GRANTS_PREFIX"):
        overrides["GRANTS_PREFIX"] = env["GRANTS_PREFIX"]
    overrides.update(logging_overrides(env))
    overrides.update(directory_overrides(env))
    overrides.update(mail_overrides(env))
    return overrides
