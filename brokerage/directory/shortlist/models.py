"""Workers' shortlists. A shortlist is found by the SHA-256 of its random token (the token
itself lives only in the worker's session cookie and in the shared link); it holds activities
and a note, nothing about the person it is for."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...core.data.types import UTCDateTime
from ...extensions import Model
from ..listings.models import Activity

NOTE_MAX = 1000


class Shortlist(Model):
    __tablename__ = "shortlist"
    __table_args__ = (CheckConstraint("expires_at > created_at", name="expires_after_created"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    items: Mapped[list["ShortlistItem"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ShortlistItem.position"
    )


class ShortlistItem(Model):
    __tablename__ = "shortlist_item"
    __table_args__ = (UniqueConstraint("shortlist_id", "activity_id"), UniqueConstraint("shortlist_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlist.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    activity: Mapped[Activity] = relationship(lazy="joined")
