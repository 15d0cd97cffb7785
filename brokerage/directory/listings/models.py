"""Activities on Open Referral (HSDS 3.0) names: an activity is a `service`, offered at a
`location` through `service_at_location`, meeting on `schedule` rows, with `cost_option`,
`contact` and `accessibility` rows. Our extensions have plain names: the first-visit panel
(`first_visit_*`), suitable-for terms, how to join, capacity, status and last_checked_on.

The activity row also carries denormalised search columns (latitude, longitude, search_band,
listed, next_occurrence_at, is_free, min_age, max_age, locality_id) so that one indexed query
answers a search; `activity_search_term` holds one row per activity and word stem (with the
activity's place, so that text and distance are answered by one index: see search/index.py);
`activity_occurrence` holds the next 12 weeks of sessions."""

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.models import Locality
from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model
from ..models import TaxonomyTerm
from .vocabulary import ACCESSIBILITY, COST_KINDS, JOIN_METHODS, NOISE_LEVELS, STATUSES, SUITABLE_FOR, in_list


class Activity(Model):
    """An activity (Open Referral `service`) run by a partner or a peer-led group (exactly one)."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("(partner_id IS NULL) <> (group_id IS NULL)", name="one_provider"),
        CheckConstraint(in_list("status", STATUSES), name="known_status"),
        CheckConstraint(
            "first_visit_noise_level IS NULL OR " + in_list("first_visit_noise_level", NOISE_LEVELS),
            name="known_noise_level",
        ),
        CheckConstraint("min_age IS NULL OR min_age BETWEEN 0 AND 120", name="min_age_range"),
        CheckConstraint("max_age IS NULL OR max_age BETWEEN 0 AND 120", name="max_age_range"),
        CheckConstraint("min_age IS NULL OR max_age IS NULL OR min_age <= max_age", name="age_order"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        # A search near a point reads the latitude bands it covers, within its longitudes; the
        # distance, `listed` and freshness are checked from the index alone. No index leads with
        # `listed` (nearly every row is): it would tempt the planner away from the text index.
        Index("ix_activity_search_place", "search_band", "longitude", "latitude", "listed", "last_checked_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("peer_group.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="active")
    capacity: Mapped[int | None] = mapped_column(Integer)
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    first_visit_what_to_expect: Mapped[str] = mapped_column(Text, default="")
    first_visit_meeting_point: Mapped[str] = mapped_column(String(300), default="")
    first_visit_what_to_bring: Mapped[str] = mapped_column(String(300), default="")
    first_visit_beginners_welcome: Mapped[bool] = mapped_column(Boolean, default=False)
    first_visit_bring_a_friend: Mapped[bool] = mapped_column(Boolean, default=False)
    first_visit_peer_buddy: Mapped[bool] = mapped_column(Boolean, default=False)
    first_visit_noise_level: Mapped[str | None] = mapped_column(String(10))
    first_visit_quiet_space: Mapped[bool] = mapped_column(Boolean, default=False)
    last_checked_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Denormalised for search (kept up to date by search.index.reindex_activities, on every save
    # of an activity or change of its provider, and by refresh_occurrences).
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    search_band: Mapped[int | None] = mapped_column(Integer)  # search.index.band_of(latitude)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)  # running, and its provider not archived
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("locality.id"), index=True)
    is_free: Mapped[bool] = mapped_column(Boolean, default=False)
    next_occurrence_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    partner = relationship("Partner", lazy="joined", innerjoin=False)
    group = relationship("Group", lazy="joined", innerjoin=False)
    locality: Mapped[Locality | None] = relationship()
    categories: Mapped[list[TaxonomyTerm]] = relationship(secondary="activity_category", order_by="TaxonomyTerm.name")
    places: Mapped[list["ServiceAtLocation"]] = relationship(back_populates="activity", cascade="all, delete-orphan")
    schedules: Mapped[list["ActivitySchedule"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivitySchedule.id"
    )
    cost_options: Mapped[list["CostOption"]] = relationship(cascade="all, delete-orphan", order_by="CostOption.id")
    contacts: Mapped[list["ActivityContact"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityContact.id"
    )
    suitable_for_rows: Mapped[list["ActivitySuitableFor"]] = relationship(cascade="all, delete-orphan")
    join_method_rows: Mapped[list["ActivityJoinMethod"]] = relationship(cascade="all, delete-orphan")
    occurrences: Mapped[list["ActivityOccurrence"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityOccurrence.starts_at", passive_deletes=True
    )

    @property
    def provider_name(self) -> str:
        return self.partner.name if self.partner is not None else self.group.name

    @property
    def location(self) -> "Location | None":
        return self.places[0].location if self.places else None

    @property
    def suitable_for(self) -> list[str]:
        return sorted(row.term for row in self.suitable_for_rows)

    @property
    def join_methods(self) -> list[str]:
        return [code for code in JOIN_METHODS if code in {row.method for row in self.join_method_rows}]

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.title}>"


class ActivityCategory(Model):
    """An activity's categories (Open Referral `attribute` linking a service to taxonomy terms)."""

    __tablename__ = "activity_category"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    taxonomy_term_id: Mapped[int] = mapped_column(ForeignKey("taxonomy_term.id"), primary_key=True, index=True)


class ActivitySearchTerm(Model):
    """One word stem of an activity's title, description, categories or provider (search.terms.
    weighted_terms) and its weight (where it was found: 0 title or category, 1 description,
    2 provider), with the activity's place, `listed` and last_checked_on copied from it so that
    one index answers "these words near here, best matches first" without reading the activities."""

    __tablename__ = "activity_search_term"
    __table_args__ = (
        Index(
            "ix_activity_search_term_place",
            "term",
            "search_band",
            "longitude",
            "latitude",
            "listed",
            "last_checked_on",
            "activity_id",
            "weight",
        ),
    )

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[int] = mapped_column(SmallInteger, server_default="0")
    search_band: Mapped[int | None] = mapped_column(Integer)
    longitude: Mapped[float | None] = mapped_column(Float)
    latitude: Mapped[float | None] = mapped_column(Float)
    listed: Mapped[bool] = mapped_column(Boolean)
    last_checked_on: Mapped[date] = mapped_column(Date)


class ActivitySuitableFor(Model):
    __tablename__ = "activity_suitable_for"
    __table_args__ = (CheckConstraint(in_list("term", SUITABLE_FOR), name="known_term"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class ActivityJoinMethod(Model):
    __tablename__ = "activity_join_method"
    __table_args__ = (CheckConstraint(in_list("method", JOIN_METHODS), name="known_method"),)

    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class Location(Model):
    """A venue (Open Referral `location`). When `address_is_private` only the town and the
    postcode district are ever shown publicly."""

    __tablename__ = "location"
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address_1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(8))
    address_is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    location_precision: Mapped[str] = mapped_column(String(8))

    accessibility_rows: Mapped[list["Accessibility"]] = relationship(cascade="all, delete-orphan")

    @property
    def accessibility(self) -> list[str]:
        return [code for code in ACCESSIBILITY if code in {row.feature for row in self.accessibility_rows}]


class ServiceAtLocation(Model):
    __tablename__ = "service_at_location"
    __table_args__ = (UniqueConstraint("activity_id", "location_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id"), index=True)

    activity: Mapped[Activity] = relationship(back_populates="places")
    location: Mapped[Location] = relationship(lazy="joined")


class Accessibility(Model):
    """An accessibility feature of a venue (Open Referral `accessibility`)."""

    __tablename__ = "accessibility"
    __table_args__ = (CheckConstraint(in_list("feature", ACCESSIBILITY), name="known_feature"),)

    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"), primary_key=True)
    feature: Mapped[str] = mapped_column(String(20), primary_key=True)


class ActivitySchedule(Model):
    """When an activity meets (Open Referral `schedule`), local Europe/London dates and times;
    see schedules.Schedule for the rules."""

    __tablename__ = "schedule"
    __table_args__ = (
        CheckConstraint("frequency in ('weekly', 'fortnightly', 'monthly', 'once')", name="known_frequency"),
        CheckConstraint("closes_at > opens_at", name="ends_after_start"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="until_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[str] = mapped_column(String(12))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    weekday: Mapped[int | None] = mapped_column(Integer)
    week_of_month: Mapped[int | None] = mapped_column(Integer)
    exception_dates: Mapped[str] = mapped_column(Text, default="")  # ISO dates, comma-separated


class CostOption(Model):
    """What it costs (Open Referral `cost_option`); `amount` in pence for a set price."""

    __tablename__ = "cost_option"
    __table_args__ = (
        CheckConstraint(in_list("option", COST_KINDS), name="known_option"),
        CheckConstraint("amount IS NULL OR amount BETWEEN 0 AND 100000", name="amount_range"),
        CheckConstraint("option <> 'price' OR amount IS NOT NULL", name="price_has_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    option: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int | None] = mapped_column(Integer)
    amount_description: Mapped[str] = mapped_column(String(200), default="")


class ActivityContact(Model):
    """Who to ask about the activity (Open Referral `contact`)."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")


class ActivityOccurrence(Model):
    """One upcoming session (next 12 weeks), for "this week", day and time-of-day searches.
    `weekday` (0 = Monday) and `part_of_day` are Europe/London."""

    __tablename__ = "activity_occurrence"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("part_of_day in ('morning', 'afternoon', 'evening')", name="known_part_of_day"),
        Index("ix_activity_occurrence_activity_starts", "activity_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    weekday: Mapped[int] = mapped_column(Integer)
    part_of_day: Mapped[str] = mapped_column(String(10))


# What the public pages show (see directory/page_cache.py): every activity table above.
PAGE_CACHE_TABLES = (
    "activity",
    "activity_category",
    "activity_suitable_for",
    "activity_join_method",
    "activity_occurrence",
    "activity_search_term",
    "location",
    "service_at_location",
    "accessibility",
    "schedule",
    "cost_option",
    "contact",
)
