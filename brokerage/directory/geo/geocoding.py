"""The seam for the optional online geocoder (like notifications/transport.py for email): Nominatim
through geopy, rate-limited, installed only when GEOCODER=nominatim. It is only ever asked
about venues that coordinators and champions list (venue_lookup.find_venue); a service
user's search never reaches it. Tests install a fake in `app.extensions["geocoder"]`.

A geocoder answers `find(address)` with a Place or None (nothing found) and raises geopy's
errors (GeocoderTimedOut, GeocoderUnavailable, ...) when the service fails."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from flask import current_app
from flask.sansio.app import App
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

CACHE_SIZE = 256  # Nominatim's policy asks clients to cache repeated look-ups


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    address: str  # the address the service matched, for the person to confirm


class Geocoder(Protocol):
    def find(self, address: str) -> Place | None: ...


class NominatimGeocoder:
    """OpenStreetMap's Nominatim, limited to Great Britain, at most one request per
    `min_delay` seconds from this process (geopy's RateLimiter is thread-safe), no retries
    (a person is waiting), and the last answers cached."""

    def __init__(self, *, user_agent: str, domain: str, timeout: float, min_delay: float):
        self.service = Nominatim(user_agent=user_agent, domain=domain, timeout=timeout)
        self.limiter = RateLimiter(
            self.service.geocode, min_delay_seconds=min_delay, max_retries=0, swallow_exceptions=False
        )
        self.find = lru_cache(maxsize=CACHE_SIZE)(self._find)

    def _find(self, address: str) -> Place | None:
        found = self.limiter(address, exactly_one=True, country_codes="gb")
        return None if found is None else Place(found.latitude, found.longitude, found.address)


def install_geocoder(app: App) -> None:
    """Put the configured geocoder in app.extensions (nothing when GEOCODER is off); one that
    is already there (a test's fake) is kept."""
    if app.config["GEOCODER"] == "nominatim" and "geocoder" not in app.extensions:
        app.extensions["geocoder"] = NominatimGeocoder(
            user_agent=app.config["GEOCODER_USER_AGENT"],
            domain=app.config["GEOCODER_DOMAIN"],
            timeout=app.config["GEOCODER_TIMEOUT"],
            min_delay=app.config["GEOCODER_MIN_DELAY"],
        )


def current_geocoder() -> Geocoder | None:
    """The app's geocoder, or None when it is switched off."""
    return current_app.extensions.get("geocoder")
