"""A locality's mark scheme and its criteria; a partner's application with evidence per criterion,
as assessed by a coordinator. `valid_until` on an awarded application is the day the mark lapses:
the award's expiry or the earliest evidence expiry, whichever comes first, so the directory can
ask "marked today?" with one comparison."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...extensions import Model

# The directory's public pages show the mark: an award or its lapse makes them stale.
PAGE_CACHE_TABLES = ("mark_application",)


class MarkScheme(Model):
    """One scheme per locality, run by its coordinators."""

    __tablename__ = "mark_scheme"
    __table_args__ = (CheckConstraint("award_months between 1 and 60", name="award_months_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("locality.id"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    mark_text: Mapped[str] = mapped_column(Text)
    award_months: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    criteria: Mapped[list["MarkCriterion"]] = relationship(order_by="MarkCriterion.id", lazy="selectin")

    @property
    def current_criteria(self) -> list["MarkCriterion"]:
        """The criteria a new application must meet (not retired)."""
        return [criterion for criterion in self.criteria if criterion.retired_at is None]


class MarkCriterion(Model):
    """What a club must show, e.g. "at least 2 people with in-date Mental Health First Aid". A
    criterion that an application has evidence for is retired (`retired_at`), never deleted, so
    the assessment keeps what it was assessed against; new applications ask only for current ones."""

    __tablename__ = "mark_criterion"
    __table_args__ = (CheckConstraint("minimum >= 1", name="minimum_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("mark_scheme.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    minimum: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MarkApplication(Model):
    __tablename__ = "mark_application"
    __table_args__ = (CheckConstraint("state IN ('submitted', 'awarded', 'not_yet')", name="state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("mark_scheme.id"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    awarded_until: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    missing: Mapped[str] = mapped_column(Text, default="")

    scheme: Mapped[MarkScheme] = relationship(lazy="joined")
    evidence: Mapped[list["MarkEvidence"]] = relationship(order_by="MarkEvidence.criterion_id", lazy="selectin")


class MarkEvidence(Model):
    """A partner's evidence for one criterion (names, references and dates; never health data),
    and the coordinator's assessment of it."""

    __tablename__ = "mark_evidence"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id"),
        CheckConstraint("expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on", name="expiry_after_issue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("mark_application.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("mark_criterion.id"))
    details: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(120), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    met: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")

    criterion: Mapped[MarkCriterion] = relationship(lazy="joined")
