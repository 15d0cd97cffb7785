"""Community reporter stories attached to a project (an activity), with the consent recorded for
each: publish publicly, share internally only, or not yet given. Withdrawal is final: the
story's title, text and link are erased at once and only the record that it existed remains."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...core.values.timeutils import utcnow
from ...directory.listings.vocabulary import in_list
from ...extensions import Model

CONSENTS = {
    "public": "Publish publicly",
    "internal": "Share internally only",
    "not_yet": "Not yet: consent not asked for or not given",
}


class Story(Model):
    """A story told by a participant and written down by a community reporter (never the
    participant's name). Withdrawn stories keep no title, text or link."""

    __tablename__ = "story"
    __table_args__ = (
        CheckConstraint(in_list("consent", CONSENTS), name="known_consent"),
        CheckConstraint(
            "withdrawn_at IS NULL OR (title = '' AND text = '' AND media_url = '')", name="withdrawn_is_erased"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    media_url: Mapped[str] = mapped_column(String(500), default="")
    reporter: Mapped[str] = mapped_column(String(120))
    told_on: Mapped[date] = mapped_column(Date, index=True)
    consent: Mapped[str] = mapped_column(String(8))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    activity = relationship("Activity", lazy="joined")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def consent_label(self) -> str:
        return "Withdrawn" if self.is_withdrawn else CONSENTS[self.consent]
