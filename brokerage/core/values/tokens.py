"""Random tokens handed to a browser or a person; only their SHA-256 is stored."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret: str, value: str) -> str:
    """A stable pseudonym for `value` (an email or IP) that cannot be reversed without the key."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
