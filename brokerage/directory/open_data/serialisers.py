"""Activities as Open Referral UK 3.0 records (the schemata in ../shared/standards/oruk-3.0).

Identifiers: taxonomies and terms publish their stored UUIDs. Other rows have integer keys,
published as stable, reversible UUIDs: the first 80 bits come from a UUID-5 of the record
kind (the same in every deployment), the last 48 bits are the integer id (version 8, the
RFC 9562 custom layout), so `/services/<id>` needs no lookup table.

Privacy: nothing a person has not chosen to publish on the public activity page is included,
and less than that: contact names, phone numbers and e-mail addresses are left out (the
service `url` leads to the page that shows them); a private venue gives only its name, town,
postcode district and coordinates rounded to about a kilometre."""

import uuid
from datetime import UTC, datetime

from flask import url_for

from ..listings.ical import WEEKDAY_CODES
from ..listings.models import Activity, ActivitySchedule, CostOption, Location, ServiceAtLocation
from ..listings.occurrences import to_schedule
from ..listings.schedules import Frequency, describe_schedule
from ..listings.taxonomy import UUID_NAMESPACE, stable_uuid
from ..listings.vocabulary import ACCESSIBILITY, COST_KINDS
from ..models import Taxonomy, TaxonomyTerm

ID_BITS = 48
PRIVATE_DECIMALS = 2
COUNTIES = {
    "barnsley": "South Yorkshire",
    "calderdale": "West Yorkshire",
    "kirklees": "West Yorkshire",
    "wakefield": "West Yorkshire",
}


def _prefix(kind: str) -> str:
    digest = uuid.uuid5(UUID_NAMESPACE, f"oruk/{kind}").hex
    return f"{digest[:12]}8{digest[13:16]}{'89ab'[int(digest[16], 16) % 4]}{digest[17:20]}"


def public_id(kind: str, number: int) -> str:
    """The published UUID of row `number` of `kind` ('service', 'location', ...)."""
    return str(uuid.UUID(_prefix(kind) + f"{number:012x}"))


def row_id(kind: str, text: str) -> int | None:
    """The integer id inside a published UUID of `kind`; None for anything else."""
    try:
        value = uuid.UUID(text)
    except (ValueError, TypeError, AttributeError):
        return None
    digits = value.hex
    return int(digits[20:], 16) if digits[:20] == _prefix(kind) else None


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _without_none(record: dict) -> dict:
    return {key: value for key, value in record.items() if value is not None}


def organization(activity: Activity) -> dict:
    """The provider: a partner (with its description and website) or a peer-led group."""
    if activity.partner is not None:
        partner = activity.partner
        website = partner.website if partner.website.startswith(("https://", "http://")) else None
        return _without_none(
            {
                "id": public_id("partner", partner.id),
                "name": partner.name,
                "description": partner.description,
                "website": website,
            }
        )
    group = activity.group
    return {"id": public_id("peer_group", group.id), "name": group.name, "description": group.aims}


def service_summary(activity: Activity) -> dict:
    """The one-to-one fields of a service, as the paginated list gives them."""
    provider = organization(activity)
    return _without_none(
        {
            "id": public_id("service", activity.id),
            "organization_id": provider["id"],
            "name": activity.title,
            "description": activity.description,
            "status": "active",
            "url": url_for("directory.show", activity_id=activity.id, _external=True),
            "minimum_age": activity.min_age,
            "maximum_age": activity.max_age,
            "assured_date": activity.last_checked_on.isoformat(),
            "last_modified": timestamp(activity.updated_at),
            "organization": provider,
        }
    )


def taxonomy_record(taxonomy: Taxonomy) -> dict:
    return _without_none(
        {
            "id": taxonomy.uuid,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "version": taxonomy.version or None,
        }
    )


def taxonomy_term_record(term: TaxonomyTerm) -> dict:
    return _without_none(
        {
            "id": term.uuid,
            "name": term.name,
            "description": term.description,
            "parent_id": term.parent.uuid if term.parent is not None else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": term.taxonomy.uuid,
            "term": term.code,
        }
    )


def _attribute(activity: Activity, term: TaxonomyTerm) -> dict:
    return {
        "id": public_id("attribute", activity.id * 10_000 + term.id),
        "link_id": public_id("service", activity.id),
        "link_type": "service",
        "taxonomy_term_id": term.uuid,
        "taxonomy_term": taxonomy_term_record(term),
    }


# The mental-health-friendly mark (partners/marks) as a term of its own small taxonomy, published
# only as the attribute of a marked partner's services: it is not an activity category.
MARK_TAXONOMY = "creative-minds-accreditation"
MARK_TERM = {
    "id": stable_uuid(MARK_TAXONOMY, "mental-health-friendly"),
    "name": "Mental-health-friendly club",
    "description": "The club holds its area's mental-health-friendly mark: trained, named people and a "
    "welcome for people who live with mental ill health.",
    "taxonomy": "Creative Minds accreditation",
    "taxonomy_id": stable_uuid(MARK_TAXONOMY),
    "term": "mental-health-friendly",
}


def _mark_attribute(activity: Activity) -> dict:
    """Attribute ids are the activity's id times 10,000 plus the term's; no stored term has id 0."""
    return {
        "id": public_id("attribute", activity.id * 10_000),
        "link_id": public_id("service", activity.id),
        "link_type": "service",
        "taxonomy_term_id": MARK_TERM["id"],
        "taxonomy_term": MARK_TERM,
    }


def _rule(row: ActivitySchedule) -> dict:
    schedule = to_schedule(row)
    if schedule.frequency is Frequency.ONCE:
        return {"valid_to": schedule.start_date.isoformat()}
    if schedule.frequency is Frequency.MONTHLY:
        assert schedule.weekday is not None and schedule.week_of_month is not None  # monthly: both, by __post_init__
        return {"freq": "MONTHLY", "interval": 1, "byday": f"{schedule.week_of_month}{WEEKDAY_CODES[schedule.weekday]}"}
    interval = 2 if schedule.frequency is Frequency.FORTNIGHTLY else 1
    return {"freq": "WEEKLY", "interval": interval, "byday": WEEKDAY_CODES[schedule.start_date.weekday()]}


def schedule_record(activity: Activity, row: ActivitySchedule) -> dict:
    """A schedule as RFC 5545 parts; times are Europe/London wall-clock times."""
    exceptions = sorted(part for part in row.exception_dates.split(",") if part)
    record = {
        "id": public_id("schedule", row.id),
        "service_id": public_id("service", activity.id),
        "valid_from": row.valid_from.isoformat(),
        "dtstart": row.valid_from.isoformat(),
        "opens_at": row.opens_at.isoformat(),
        "closes_at": row.closes_at.isoformat(),
        "description": describe_schedule(to_schedule(row)),
        "attending_type": "in person",
    }
    if row.valid_to is not None:
        record["valid_to"] = row.valid_to.isoformat()
    if exceptions:
        record["notes"] = "No session on " + ", ".join(exceptions) + "."
    return record | _rule(row)


def _address(location: Location, county: str) -> dict:
    private = location.address_is_private
    return {
        "id": public_id("address", location.id),
        "location_id": public_id("location", location.id),
        "address_1": "" if private else location.address_1,
        "city": location.city,
        "state_province": county,
        "country": "GB",
        "address_type": "physical",
        "postal_code": location.postal_code.split(" ")[0] if private else location.postal_code,
    }


def location_record(location: Location, county: str, *, full: bool = True) -> dict:
    """A venue; a private one gives no street and coordinates rounded to about a kilometre."""
    digits = PRIVATE_DECIMALS if location.address_is_private else 6
    record = {
        "id": public_id("location", location.id),
        "location_type": "physical",
        "name": location.name,
        "latitude": round(location.latitude, digits),
        "longitude": round(location.longitude, digits),
    }
    if full:
        record["addresses"] = [_address(location, county)]
        record["accessibility"] = [
            {
                "id": public_id("accessibility", location.id * 100 + index),
                "location_id": record["id"],
                "accessibility": code,
                "description": ACCESSIBILITY[code],
            }
            for index, code in enumerate(location.accessibility)
        ]
    return record


def service_at_location_record(activity: Activity, place: ServiceAtLocation, *, full: bool = True) -> dict:
    county = COUNTIES.get(activity.locality.slug, "") if activity.locality is not None else ""
    return {
        "id": public_id("service_at_location", place.id),
        "service_id": public_id("service", activity.id),
        "location_id": public_id("location", place.location_id),
        "location": location_record(place.location, county, full=full),
    }


def _cost(activity: Activity, row: CostOption) -> dict:
    return _without_none(
        {
            "id": public_id("cost_option", row.id),
            "service_id": public_id("service", activity.id),
            "option": COST_KINDS[row.option],
            "amount": row.amount / 100 if row.amount is not None else None,
            "amount_description": row.amount_description or None,
        }
    )


def service_list_item(activity: Activity, *, marked: bool = False) -> dict:
    """A service as the paginated list gives it: its one-to-one fields, and the mark as its only
    attribute when its partner holds it (so a list can be filtered for mental-health-friendly clubs)."""
    return service_summary(activity) | ({"attributes": [_mark_attribute(activity)]} if marked else {})


def service_record(activity: Activity, *, marked: bool = False) -> dict:
    """A fully nested service: its schedules, venues, costs and categories, and the mark when its
    partner holds it (`marked`)."""
    return service_summary(activity) | {
        "schedules": [schedule_record(activity, row) for row in activity.schedules],
        "service_at_locations": [service_at_location_record(activity, place) for place in activity.places],
        "cost_options": [_cost(activity, row) for row in activity.cost_options],
        "attributes": [_attribute(activity, term) for term in activity.categories]
        + ([_mark_attribute(activity)] if marked else []),
        "contacts": [],
        "languages": [],
        "funding": [],
        "service_areas": [],
    }


def page_record(contents: list[dict], *, total: int, page: int, per_page: int) -> dict:
    """An Open Referral page object around `contents`."""
    pages = -(-total // per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }
