"""UK postcodes: check the format and write them one way (upper case, one space before the
inward code), so that "s71 1et" and "S711ET" are the same place everywhere."""

import re

# Outward code (area + district) and inward code (sector + unit), per the Royal Mail format.
_OUTWARD = r"[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_FULL = re.compile(rf"^(?:(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})|(?P<girobank>GIR0AA))$")
_DISTRICT = re.compile(rf"^{_OUTWARD}$")
_WITHIN_TEXT = re.compile(rf"(?<![A-Z0-9]){_OUTWARD}\s*{_INWARD}(?![A-Z0-9])", re.IGNORECASE)

INVALID_MESSAGE = "Enter a real UK postcode, like S71 1ET."


class InvalidPostcode(ValueError):
    """The text is not a UK postcode."""


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def normalise_postcode(text: str) -> str:
    """'s71 1et ' -> 'S71 1ET'. Raises InvalidPostcode if the text is not a full UK postcode."""
    match = _FULL.match(_compact(text)) if len(text or "") <= 16 else None
    if match is None:
        raise InvalidPostcode(INVALID_MESSAGE)
    if match["girobank"]:
        return "GIR 0AA"
    return f"{match['outward']} {match['inward']}"


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except InvalidPostcode:
        return False
    return True


def contains_postcode(text: str) -> bool:
    """Whether a full postcode appears anywhere in the text ('near hd1 2qa please' -> True)."""
    return bool(_WITHIN_TEXT.search(text))


def outward_code(postcode: str) -> str:
    """The district part of a normalised postcode: 'S71 1ET' -> 'S71'."""
    return postcode.split(" ", 1)[0]


def normalise_district(text: str) -> str:
    """A postcode district on its own ('hx7' -> 'HX7'). Raises InvalidPostcode otherwise."""
    compact = _compact(text)
    if len(compact) > 4 or not _DISTRICT.match(compact):
        raise InvalidPostcode("Enter a postcode district, like HX7, or a full postcode.")
    return compact
