"""Placing a venue on the map from its street address with the online geocoder (geocoding.py):
only coordinators and champions may, only for venues they list, and never for a private address
or a service user's search. Every failure is a message for the person, never an error page."""

from flask import current_app
from geopy.exc import GeocoderTimedOut, GeopyError

from ...accounts.models import User
from ...core.values.postcodes import InvalidPostcode
from ...core.values.roles import Role
from ...errors import PermissionDenied, RuleViolation
from .distances import Point, distance_miles
from .geocoding import Place, current_geocoder
from .locations import Location, locate

PLACING_ROLES = frozenset({Role.COORDINATOR, Role.CHAMPION})
MAX_MILES_FROM_POSTCODE = 10.0
AT_POSTCODE = "or save without it: the venue will be placed at its postcode."
SAVE_AT_POSTCODE = "Save the activity: the venue will be placed at its postcode."
OFF_MESSAGE = f"Finding venues on the map is not switched on here. {SAVE_AT_POSTCODE}"
NO_ADDRESS_MESSAGE = "Enter the street address and town to find the venue on the map."
PRIVATE_MESSAGE = f"A private address is never sent to the map search. {SAVE_AT_POSTCODE}"
NOT_FOUND_MESSAGE = f"We could not find that address on the map. Check the street and town, {AT_POSTCODE}"
TIMEOUT_MESSAGE = f"The map search took too long to answer. Try again in a minute, {AT_POSTCODE}"
UNAVAILABLE_MESSAGE = f"The map search is not available at the moment. Try again later, {AT_POSTCODE}"


def may_place_venues(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_any_role(PLACING_ROLES))


def offers_venue_lookup(user: User | None) -> bool:
    """Whether the listing form shows "Find on the map": the geocoder is on and the user may use it."""
    return current_geocoder() is not None and may_place_venues(user)


def check_near_postcode(point: Point, postcode_location: Location, *, field: str) -> None:
    """RuleViolation (on `field`) when a position is implausibly far from the venue's postcode."""
    if distance_miles(point, postcode_location.point) > MAX_MILES_FROM_POSTCODE:
        raise RuleViolation(
            f"That place on the map is more than {MAX_MILES_FROM_POSTCODE:g} miles from "
            f"{postcode_location.postcode}. Check the address and the postcode, then find it again.",
            field=field,
        )


def _ask(address: str) -> Place:
    geocoder = current_geocoder()
    if geocoder is None:
        raise RuleViolation(OFF_MESSAGE, field="address_1")
    try:
        place = geocoder.find(address)
    except GeocoderTimedOut:
        raise RuleViolation(TIMEOUT_MESSAGE, field="address_1") from None
    except GeopyError as error:
        current_app.logger.warning("geocoder failed: %s", type(error).__name__)
        raise RuleViolation(UNAVAILABLE_MESSAGE, field="address_1") from None
    if place is None:
        raise RuleViolation(NOT_FOUND_MESSAGE, field="address_1")
    return place


def _postcode_location(postcode: str) -> Location | None:
    """Where the postcode is, offline; a malformed or unknown one is reported when the form is saved."""
    try:
        return locate(postcode) if postcode else None
    except InvalidPostcode:
        return None


def find_venue(*, actor: User, address_1: str, city: str, postcode: str, address_is_private: bool) -> Place:
    """Where the online geocoder puts a venue's street address, for the person to confirm.
    PermissionDenied unless the actor is a coordinator or champion; RuleViolation (naming the
    field) when the geocoder is off, the address is private or missing, nothing is found, the
    service times out or fails, or the place is more than 10 miles from the postcode given."""
    if not may_place_venues(actor):
        raise PermissionDenied()
    if address_is_private:
        raise RuleViolation(PRIVATE_MESSAGE, field="address_is_private")
    if not (address_1 or "").strip():
        raise RuleViolation(NO_ADDRESS_MESSAGE, field="address_1")
    postcode_location = _postcode_location(postcode)
    parts = [address_1, city, postcode_location.postcode if postcode_location else ""]
    place = _ask(", ".join(part.strip() for part in parts if part and part.strip()))
    if postcode_location is not None:
        check_near_postcode((place.latitude, place.longitude), postcode_location, field="address_1")
    return place
