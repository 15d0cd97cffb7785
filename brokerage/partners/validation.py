"""Checking and normalising what identifies an organisation: charity and company numbers,
names (for spotting duplicates), websites and phone numbers. Each normaliser returns the
stored form or raises ValueError with a message fit to show next to the field."""

import re
import unicodedata
from urllib.parse import urlsplit

_CHARITY = re.compile(r"^[0-9]{6,8}$")
_COMPANY_PREFIXED = re.compile(r"^(?:[A-Z]{2}|R0)[0-9]{6}$")
_DIGITS = re.compile(r"^[0-9]{1,8}$")
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-]+$")


def clean_text(text: str | None) -> str:
    """Text without control characters (NUL and the like, which PostgreSQL refuses and no one
    means to type), keeping new lines and tabs, with the ends trimmed."""
    return "".join(
        character for character in (text or "") if character in "\n\t" or unicodedata.category(character) != "Cc"
    ).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def normalise_charity_number(text: str) -> str:
    """England and Wales registered charity numbers: 6 to 8 digits ('1 123 456' -> '1123456')."""
    number = _squash(text)
    if not _CHARITY.match(number):
        raise ValueError("Enter a charity number for England and Wales: 6 to 8 digits, like 1123456.")
    return number


def normalise_company_number(text: str) -> str:
    """Companies House numbers are 8 characters: 8 digits (shorter ones are padded with
    leading zeros, '123456' -> '00123456') or 2 letters and 6 digits, like SC123456."""
    number = _squash(text)
    if _DIGITS.match(number):
        return number.zfill(8)
    if not _COMPANY_PREFIXED.match(number):
        raise ValueError(
            "Enter a Companies House number: 8 digits, like 01234567, or 2 letters and 6 digits, like SC123456."
        )
    return number


def name_key(name: str) -> str:
    """The form of a name used to spot duplicates: accents, case, punctuation, '&' versus
    'and' and a leading 'The' make no difference ('The Arts Café!' -> 'arts cafe')."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(character for character in text if not unicodedata.combining(character))
    text = text.casefold().replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def normalise_website(text: str) -> str:
    """A web address with http or https ('www.example.org' -> 'https://www.example.org').
    Other schemes (javascript:, data:, ftp:) are refused."""
    address = (text or "").strip()
    if not address:
        return ""
    if "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    host = (parts.hostname or "").lower() if parts.scheme.lower() in ("http", "https") else ""
    if not _HOST.match(host) or parts.username or parts.password or any(c.isspace() for c in address):
        raise ValueError("Enter a web address starting with https:// or www, like https://www.example.org.")
    return address


def normalise_phone(text: str) -> str:
    """A UK phone number as typed, checked to hold 10 or 11 digits (or +44 and 9-10 digits)."""
    phone = re.sub(r"\s+", " ", (text or "").strip())
    if not phone:
        return ""
    digits = re.sub(r"[^0-9]", "", phone)
    if phone.startswith("+"):
        digits = "0" + digits[2:] if digits.startswith("44") else ""
    if not _PHONE_CHARACTERS.match(phone) or not 10 <= len(digits) <= 11 or not digits.startswith("0"):
        raise ValueError("Enter a UK phone number, like 01226 123456 or 07700 900123.")
    return phone
