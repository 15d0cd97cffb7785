"""Reference data the directory needs in every deployment (district centres and the taxonomy),
and the demo activities (seed/directory.json), listed through the services."""

import json
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import select

from ..accounts.models import User
from ..core.values.timeutils import london_today, utcnow
from ..extensions import db
from ..groups.models import Group
from ..partners.models import Partner
from .geo.locations import load_district_centroids
from .listings.models import Activity
from .listings.schedules import Schedule
from .listings.services import ActivityDetails, FirstVisit, Venue, create_activity
from .listings.taxonomy import load_taxonomy
from .models import TaxonomyTerm
from .search.misses.models import SearchMiss
from .search.misses.services import MissKey, record_search_miss


def seed_directory_reference() -> tuple[int, int]:
    """Load the shipped postcode districts and activity categories (idempotent).
    Returns (districts added, categories added)."""
    return load_district_centroids(), load_taxonomy()


def _schedule(row: dict) -> Schedule:
    return Schedule(
        frequency=row["frequency"],
        start_date=date.fromisoformat(row["start_date"]),
        start_time=time.fromisoformat(row["start_time"]),
        end_time=time.fromisoformat(row["end_time"]),
        weekday=row.get("weekday"),
        week_of_month=row.get("week_of_month"),
        exceptions=frozenset(date.fromisoformat(day) for day in row.get("exceptions", [])),
    )


def _details(row: dict) -> ActivityDetails:
    terms = tuple(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.code.in_(row["categories"]))))
    venue = dict(row["venue"], accessibility=tuple(row["venue"].get("accessibility", ())))
    cost, contact = row["cost"], row.get("contact", {})
    return ActivityDetails(
        title=row["title"],
        description=row["description"],
        category_ids=terms,
        venue=Venue(**venue),
        schedule=_schedule(row["schedule"]),
        cost_kind=cost["kind"],
        cost_amount=cost.get("amount"),
        cost_description=cost.get("description", ""),
        min_age=row.get("min_age"),
        max_age=row.get("max_age"),
        capacity=row.get("capacity"),
        suitable_for=tuple(row.get("suitable_for", ())),
        join_methods=tuple(row["join_methods"]),
        first_visit=FirstVisit(**row.get("first_visit", {})),
        contact_name=contact.get("name", ""),
        contact_phone=contact.get("phone", ""),
        contact_email=contact.get("email", ""),
    )


def _provider_key(row: dict) -> str | None:
    if "partner" in row:
        found = db.session.scalar(select(Partner.id).where(Partner.name == row["partner"]))
        return f"partner-{found}" if found else None
    found = db.session.scalar(select(Group.id).where(Group.name == row["group"]))
    return f"group-{found}" if found else None


def seed_activities(seed_dir: Path, now: datetime | None = None) -> int:
    """List the demo activities whose provider exists and that are not listed yet (by title);
    returns how many were added."""
    data = json.loads((seed_dir / "directory.json").read_text(encoding="utf-8"))
    actor = db.session.scalar(select(User).where(User.email == data["actor"]))
    existing = set(db.session.scalars(select(Activity.title)))
    added = 0
    for row in data["activities"]:
        provider_key = _provider_key(row)
        if actor is None or provider_key is None or row["title"] in existing:
            continue
        create_activity(actor=actor, provider_key=provider_key, details=_details(row), now=now or utcnow())
        added += 1
    return added


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def seed_search_misses(seed_dir: Path, now: datetime | None = None) -> int:
    """Count the demo searches that found nothing (seed/search_misses.json), dated from this
    month back, through the search's own counting; only into an empty table. Returns how many."""
    if db.session.scalar(select(SearchMiss.id).limit(1)) is not None:
        return 0
    this_month = london_today(now or utcnow())
    counted = 0
    for row in json.loads((seed_dir / "search_misses.json").read_text(encoding="utf-8"))["misses"]:
        key = MissKey(
            month=_months_before(this_month, row["months_ago"]),
            district=row["district"],
            category=row["category"],
            days=row["days"],
            times=row["times"],
            words=row["words"],
        )
        for _ in range(row["searches"]):
            counted += record_search_miss(key)
    return counted
