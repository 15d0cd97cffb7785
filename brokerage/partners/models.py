"""Community partners, their partnership agreements, contacts, linked accounts and champions.

Other features point a ForeignKey at `partner.id`; partners are archived, never deleted.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
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
from .vocabulary import INTERESTS, PARTNER_TYPES


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(value) for value in values)})"


partner_locality = Table(
    "partner_locality",
    db.metadata,
    Column("partner_id", ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True),
    Column("locality_id", ForeignKey("locality.id"), primary_key=True),
)

champion_locality = Table(
    "champion_locality",
    db.metadata,
    Column("champion_id", ForeignKey("champion_profile.id", ondelete="CASCADE"), primary_key=True),
    Column("locality_id", ForeignKey("locality.id"), primary_key=True),
)


# This feature's tables that the directory's public pages show (who runs an activity): a change to
# one makes the kept pages stale (directory/page_cache.py).
PAGE_CACHE_TABLES = ("partner",)


class Partner(Model):
    """An organisation the platform works with. `name_key` (the name lower-cased, with
    punctuation and runs of spaces removed) makes duplicate names a database error too."""

    __tablename__ = "partner"
    __table_args__ = (
        CheckConstraint(_in_list("type", PARTNER_TYPES), name="known_type"),
        CheckConstraint(
            "charity_number is null or length(charity_number) between 6 and 8", name="charity_number_length"
        ),
        CheckConstraint("company_number is null or length(company_number) = 8", name="company_number_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(32))
    charity_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    company_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    address_line_1: Mapped[str] = mapped_column(String(200), default="")
    address_line_2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str | None] = mapped_column(String(8))
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    localities: Mapped[list[Locality]] = relationship(
        secondary=partner_locality, lazy="selectin", order_by=Locality.name
    )
    interest_rows: Mapped[list["PartnerInterest"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PartnerInterest.interest"
    )
    agreement: Mapped["PartnershipAgreement | None"] = relationship(
        back_populates="partner", uselist=False, lazy="selectin"
    )
    contacts: Mapped[list["PartnerContact"]] = relationship(
        back_populates="partner", order_by="(PartnerContact.is_primary.desc(), PartnerContact.name)"
    )

    @property
    def interests(self) -> list[str]:
        return [row.interest for row in self.interest_rows]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def type_label(self) -> str:
        return PARTNER_TYPES.get(self.type, self.type)

    def __repr__(self) -> str:
        return f"<Partner {self.id} {self.name}>"


class PartnerInterest(Model):
    __tablename__ = "partner_interest"
    __table_args__ = (CheckConstraint(_in_list("interest", INTERESTS), name="known_interest"),)

    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), primary_key=True)
    interest: Mapped[str] = mapped_column(String(32), primary_key=True)


class PartnershipAgreement(Model):
    """Preferred-supplier status. Its status (prospective, active, expiring, lapsed) is derived
    from these dates by `agreements.rules.agreement_status`, never stored."""

    __tablename__ = "partnership_agreement"
    __table_args__ = (
        CheckConstraint(
            "expires_on is null or signed_on is null or expires_on > signed_on", name="expires_after_signing"
        ),
        CheckConstraint(
            "signed_on is null or (expires_on is not null and insurance_expires_on is not null "
            "and safeguarding_reviewed_on is not null)",
            name="signed_needs_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), unique=True)
    signed_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    safeguarding_reviewed_on: Mapped[date | None] = mapped_column(Date)
    insurance_expires_on: Mapped[date | None] = mapped_column(Date)
    dbs_arrangements: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    partner: Mapped[Partner] = relationship(back_populates="agreement")


class PartnerContact(Model):
    """A named person at a partner (not necessarily someone with an account). One is primary."""

    __tablename__ = "partner_contact"
    __table_args__ = (
        Index(
            "uq_partner_contact_one_primary",
            "partner_id",
            unique=True,
            sqlite_where=text("is_primary"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    partner: Mapped[Partner] = relationship(back_populates="contacts")


class PartnerUser(Model):
    """A user account (partner contact role) that may act for a partner: edit it and, later,
    its activities and bids. Linked by coordinators."""

    __tablename__ = "partner_user"
    __table_args__ = (UniqueConstraint("partner_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChampionProfile(Model):
    """A champion's localities and interests. Whether they are a service user or Trust staff
    is shown to coordinators only."""

    __tablename__ = "champion_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    is_service_user: Mapped[bool] = mapped_column(Boolean, default=False)
    is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    about: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User", lazy="joined")
    localities: Mapped[list[Locality]] = relationship(
        secondary=champion_locality, lazy="selectin", order_by=Locality.name
    )
    interest_rows: Mapped[list["ChampionInterest"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ChampionInterest.interest"
    )

    @property
    def interests(self) -> list[str]:
        return [row.interest for row in self.interest_rows]


class ChampionInterest(Model):
    __tablename__ = "champion_interest"
    __table_args__ = (CheckConstraint(_in_list("interest", INTERESTS), name="known_interest"),)

    champion_id: Mapped[int] = mapped_column(ForeignKey("champion_profile.id", ondelete="CASCADE"), primary_key=True)
    interest: Mapped[str] = mapped_column(String(32), primary_key=True)


class PartnerHelpOffer(Model):
    """A champion's "I'd like to help" for a partner, until a coordinator links them (which confirms it)."""

    __tablename__ = "partner_help_offer"
    __table_args__ = (UniqueConstraint("partner_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user = relationship("User", lazy="joined")


class ChampionLink(Model):
    """A champion allocated to a partner by a coordinator."""

    __tablename__ = "champion_link"
    __table_args__ = (UniqueConstraint("partner_id", "champion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    champion_id: Mapped[int] = mapped_column(ForeignKey("champion_profile.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
