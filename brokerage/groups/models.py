"""The group's tables: the group and its champions, its people and their roles, its constitution's
draft and adopted versions, its general meetings, and its hosting agreements. They are kept here,
below every stage, because who may act on a group (`access.py`) and its lifecycle (`lifecycle.py`)
read them all; a stage's own records (hosting's ledger and expenses) are in the stage's models."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.data.models import Locality
from ..core.data.types import UTCDateTime
from ..core.values.timeutils import utcnow
from ..extensions import Model, db

BANK_STATUSES = ("not_started", "applied", "open")
OFFICES = ("chair", "secretary", "treasurer", "welfare_lead")
RELATIONSHIP_KINDS = ("family", "partners", "same_address")
MEETING_KINDS = ("founding", "annual", "special")
AMENDMENT_THRESHOLDS = ("two_thirds", "three_quarters")
HOSTING_CHOICES = ("own_account", "hosted")
HOSTING_STATUSES = ("pending", "approved", "rejected", "expired", "ended")
MAX_FEE_PERCENT = 30


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in ({', '.join(repr(value) for value in values)})"


# This feature's tables that the directory's public pages show (who runs an activity): a change to
# one makes the kept pages stale (directory/page_cache.py).
PAGE_CACHE_TABLES = ("peer_group",)


class Group(Model):
    __tablename__ = "peer_group"
    __table_args__ = (
        CheckConstraint(_in("bank_status", BANK_STATUSES), name="known_bank_status"),
        CheckConstraint("bank_account_last4 is null or length(bank_account_last4) = 4", name="last_four_digits"),
        CheckConstraint(
            "bank_status != 'open' or (bank_account_name is not null and bank_account_last4 is not null)",
            name="open_account_has_details",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    aims: Mapped[str] = mapped_column(Text)
    activity: Mapped[str] = mapped_column(Text)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), index=True)
    meeting_place: Mapped[str] = mapped_column(String(300))
    meeting_place_private: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    bank_status: Mapped[str] = mapped_column(String(16), default="not_started")
    bank_account_name: Mapped[str | None] = mapped_column(String(120))
    bank_account_last4: Mapped[str | None] = mapped_column(String(4))
    safeguarding_policy_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(500))

    locality: Mapped[Locality] = relationship(lazy="joined")
    people: Mapped[list["GroupPerson"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupPerson.name"
    )
    champions: Mapped[list["GroupChampion"]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.name}>"


class GroupChampion(Model):
    """A champion assigned to support a group (the creator is also a supporter)."""

    __tablename__ = "group_champion"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    user = relationship("User", lazy="joined")


class GroupHelpOffer(Model):
    """A champion's "I'd like to help" for a group, until a coordinator confirms it (the champion then
    supports the group) or links them directly."""

    __tablename__ = "group_help_offer"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user = relationship("User", lazy="joined")


class GroupPerson(Model):
    """A member of the group; they may have no account. Contact details are kept only with consent."""

    __tablename__ = "group_person"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        CheckConstraint("not consent_given or consent_on is not null", name="consent_has_date"),
        CheckConstraint("contact is null or consent_given", name="contact_needs_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    consent_given: Mapped[bool] = mapped_column(default=False)
    consent_on: Mapped[date | None]
    founding: Mapped[bool] = mapped_column(default=False)
    on_committee: Mapped[bool] = mapped_column(default=False)
    is_signatory: Mapped[bool] = mapped_column(default=False)

    group: Mapped[Group] = relationship(back_populates="people")
    user = relationship("User")


class GroupOfficer(Model):
    __tablename__ = "group_officer"
    __table_args__ = (
        UniqueConstraint("group_id", "office"),
        CheckConstraint(_in("office", OFFICES), name="known_office"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    office: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int] = mapped_column(ForeignKey("group_person.id", ondelete="CASCADE"), index=True)
    person: Mapped[GroupPerson] = relationship(lazy="joined")


class GroupRelationship(Model):
    """A declared relationship between two members (the lower id first, so each pair is stored once)."""

    __tablename__ = "group_relationship"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id", "kind"),
        CheckConstraint("person_a_id < person_b_id", name="ordered_pair"),
        CheckConstraint(_in("kind", RELATIONSHIP_KINDS), name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    person_a_id: Mapped[int] = mapped_column(ForeignKey("group_person.id", ondelete="CASCADE"), index=True)
    person_b_id: Mapped[int] = mapped_column(ForeignKey("group_person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    person_a: Mapped[GroupPerson] = relationship(foreign_keys=[person_a_id], lazy="joined")
    person_b: Mapped[GroupPerson] = relationship(foreign_keys=[person_b_id], lazy="joined")


class ConstitutionDraft(Model):
    """The group's working choices: before adoption the proposed constitution, after it the
    proposed amendments. The database refuses the same rule-breaking values the builder refuses."""

    __tablename__ = "constitution_draft"
    __table_args__ = (
        CheckConstraint("committee_min >= 3 and committee_unrelated_min >= 2", name="committee_minimums"),
        CheckConstraint(
            "committee_unrelated_min <= committee_min and committee_min <= committee_max",
            name="committee_sizes_in_order",
        ),
        CheckConstraint("quorum_minimum >= 3 and quorum_fraction between 1 and 3", name="quorum_minimums"),
        CheckConstraint("notice_days >= 14 and amendment_notice_days >= 21", name="notice_minimums"),
        CheckConstraint("agm_within_months between 1 and 15", name="agm_interval"),
        CheckConstraint("signatories_minimum >= 3 and signatures_per_payment >= 2", name="signatory_minimums"),
        CheckConstraint("special_meeting_request >= 2", name="special_meeting_minimum"),
        CheckConstraint("year_end_month between 1 and 12", name="year_end_month_known"),
        CheckConstraint(_in("amendment_threshold", AMENDMENT_THRESHOLDS), name="amendment_threshold_known"),
        CheckConstraint(_in("hosting", HOSTING_CHOICES), name="hosting_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    aims: Mapped[str] = mapped_column(Text)
    area_of_benefit: Mapped[str] = mapped_column(String(300))
    membership_open_to: Mapped[str] = mapped_column(String(500))
    committee_min: Mapped[int]
    committee_max: Mapped[int]
    committee_unrelated_min: Mapped[int]
    officer_term_years: Mapped[int]
    agm_within_months: Mapped[int]
    notice_days: Mapped[int]
    amendment_notice_days: Mapped[int]
    special_meeting_request: Mapped[int]
    quorum_minimum: Mapped[int]
    quorum_fraction: Mapped[int]
    signatories_minimum: Mapped[int]
    signatures_per_payment: Mapped[int]
    hosting: Mapped[str] = mapped_column(String(20))
    year_end_month: Mapped[int]
    amendment_threshold: Mapped[str] = mapped_column(String(20))
    dissolution_recipient: Mapped[str] = mapped_column(String(300))
    answered: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


meeting_attendee = Table(
    "group_meeting_attendee",
    db.metadata,
    Column("meeting_id", ForeignKey("group_meeting.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("group_person.id", ondelete="CASCADE"), primary_key=True),
)


class GroupMeeting(Model):
    """A general meeting as held: founding (adopts version 1), annual (AGM) or special."""

    __tablename__ = "group_meeting"
    __table_args__ = (
        CheckConstraint(_in("kind", MEETING_KINDS), name="known_kind"),
        CheckConstraint("members_present >= 1", name="someone_present"),
        CheckConstraint("votes_for >= 0 and votes_against >= 0 and votes_abstain >= 0", name="votes_not_negative"),
        CheckConstraint("votes_for + votes_against + votes_abstain <= members_present", name="votes_within_present"),
        CheckConstraint("proposer_id is null or proposer_id != seconder_id", name="seconder_not_proposer"),
        CheckConstraint("notice_given_on is null or notice_given_on <= held_on", name="notice_before_meeting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date]
    notice_given_on: Mapped[date | None]
    members_present: Mapped[int]
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("group_person.id"))
    seconder_id: Mapped[int | None] = mapped_column(ForeignKey("group_person.id"))
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attendees: Mapped[list[GroupPerson]] = relationship(secondary=meeting_attendee, order_by=GroupPerson.name)
    proposer: Mapped[GroupPerson | None] = relationship(foreign_keys=[proposer_id])
    seconder: Mapped[GroupPerson | None] = relationship(foreign_keys=[seconder_id])


class ConstitutionVersion(Model):
    """An adopted constitution, frozen: its choices and its rendered clauses never change."""

    __tablename__ = "constitution_version"
    __table_args__ = (UniqueConstraint("group_id", "number"), CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    choices: Mapped[dict] = mapped_column(JSON)
    clauses: Mapped[list] = mapped_column(JSON)
    adopted_on: Mapped[date]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("group_meeting.id"), unique=True)
    meeting: Mapped[GroupMeeting] = relationship(lazy="joined")


class Hosting(Model):
    """A group's application to a partner to be hosted and, once approved, the agreement."""

    __tablename__ = "group_hosting"
    __table_args__ = (
        CheckConstraint(_in("status", HOSTING_STATUSES), name="known_status"),
        CheckConstraint("balance_pence >= 0", name="balance_not_negative"),
        CheckConstraint(f"fee_percent is null or fee_percent between 1 and {MAX_FEE_PERCENT}", name="sane_fee"),
        # An application can end undecided (rejected, or expired after 60 days) without dates.
        CheckConstraint(
            "status in ('pending', 'rejected', 'expired') or (starts_on is not null and expires_on is not null)",
            name="agreement_has_dates",
        ),
        CheckConstraint("starts_on is null or expires_on > starts_on", name="expires_after_start"),
        # One live application or agreement per group at a time.
        Index(
            "uq_group_hosting_one_live",
            "group_id",
            unique=True,
            sqlite_where=text("status in ('pending', 'approved')"),
            postgresql_where=text("status in ('pending', 'approved')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("peer_group.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    request: Mapped[str] = mapped_column(String(1000), default="")
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    starts_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    fee_percent: Mapped[int | None]
    ended_on: Mapped[date | None]
    balance_pence: Mapped[int] = mapped_column(BigInteger, default=0)

    group: Mapped[Group] = relationship(lazy="joined")
    partner = relationship("Partner", lazy="joined")

    def expired_on(self, today: date) -> bool:
        return self.status == "approved" and self.expires_on is not None and self.expires_on < today

    def state(self, today: date) -> str:
        """The stored status, with an approved agreement past its expiry shown as expired."""
        return "expired" if self.expired_on(today) else self.status
