"""Collectives, memberships, join requests and registers of interests.

The money tables (Fund, LedgerEntry) live in `money/models.py`.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, Text, and_, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.data.models import Locality
from ..core.data.types import UTCDateTime
from ..core.values.timeutils import utcnow
from ..extensions import Model


class Constituency(StrEnum):
    LIVED_EXPERIENCE = "lived_experience"
    CARER = "carer"
    TRUST_STAFF = "trust_staff"
    COMMUNITY = "community"

    @property
    def label(self) -> str:
        return CONSTITUENCY_LABELS[self]


CONSTITUENCY_LABELS = {
    Constituency.LIVED_EXPERIENCE: "Lived experience of mental or physical health services",
    Constituency.CARER: "Carer",
    Constituency.TRUST_STAFF: "Trust staff",
    Constituency.COMMUNITY: "Community representative",
}


class MemberRole(StrEnum):
    MEMBER = "member"
    CHAIR = "chair"

    @property
    def label(self) -> str:
        return "Chair" if self is MemberRole.CHAIR else "Member"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(str(value)) for value in values)})"


class Collective(Model):
    """One per locality: the people who decide how that locality's money is spent."""

    __tablename__ = "collective"

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    about: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    locality: Mapped[Locality] = relationship(lazy="joined")

    @property
    def slug(self) -> str:
        return self.locality.slug


class Membership(Model):
    """A person's membership of a collective: active from `active_from` (inclusive) until
    `active_to`, the day it ended (exclusive; open-ended while None). A person has at most
    one open membership of a collective."""

    __tablename__ = "collective_membership"
    __table_args__ = (
        CheckConstraint(_in_list("constituency", Constituency), name="known_constituency"),
        CheckConstraint(_in_list("role", MemberRole), name="known_role"),
        CheckConstraint("active_to is null or active_to >= active_from", name="dates_in_order"),
        Index(
            "uq_collective_membership_open",
            "collective_id",
            "user_id",
            unique=True,
            sqlite_where=text("active_to is null"),
            postgresql_where=text("active_to is null"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    constituency: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.MEMBER.value)
    active_from: Mapped[date]
    active_to: Mapped[date | None]

    collective: Mapped[Collective] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def constituency_label(self) -> str:
        return Constituency(self.constituency).label

    @property
    def is_chair(self) -> bool:
        return self.role == MemberRole.CHAIR

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to > day)

    @classmethod
    def active_on(cls, day: date | ColumnElement[date]) -> ColumnElement[bool]:
        """The SQL condition matching `is_active_on(day)` (a day, or a parameter standing for one)."""
        return and_(cls.active_from <= day, or_(cls.active_to.is_(None), cls.active_to > day))


class JoinRequest(Model):
    """Someone asking to join; a chair of that collective or a coordinator decides."""

    __tablename__ = "collective_join_request"
    __table_args__ = (
        CheckConstraint(_in_list("constituency", Constituency), name="known_constituency"),
        CheckConstraint(_in_list("status", RequestStatus), name="known_status"),
        Index(
            "uq_collective_join_request_pending",
            "collective_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collective.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    constituency: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    collective: Mapped[Collective] = relationship(lazy="joined")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    @property
    def constituency_label(self) -> str:
        return Constituency(self.constituency).label


class Interest(Model):
    """An entry in a member's register of interests: a connection to an organisation
    (optionally a partner on the platform), what it is, since when, and when it ended."""

    __tablename__ = "member_interest"
    __table_args__ = (CheckConstraint("ended_on is null or ended_on >= since", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_name: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"), index=True)
    nature: Mapped[str] = mapped_column(String(500))
    since: Mapped[date]
    ended_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
