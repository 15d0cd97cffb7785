"""Localities: the four places Creative Minds serves; every feature points at them. And what
people typed into a form that could not be saved, kept for a short time."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...extensions import Model
from .types import UTCDateTime

# The tables here that the directory's public pages show (a result's locality): a change to one
# makes the kept pages stale (directory/page_cache.py).
PAGE_CACHE_TABLES = ("locality",)


class Locality(Model):
    __tablename__ = "locality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    ons_code: Mapped[str] = mapped_column(String(9), unique=True)

    def __repr__(self) -> str:
        return f"<Locality {self.name}>"


class KeptSubmission(Model):
    """What a person typed into a form that could not be saved because their session had ended
    or the page had expired, kept for a short time to fill the form again (core/input/kept_forms.py).
    The browser holds a random key in a cookie; we keep only its SHA-256."""

    __tablename__ = "kept_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    browser_key_hash: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(2000))  # the page the form is on
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    fields: Mapped[str] = mapped_column(Text)  # JSON: [[name, value], ...] in the order sent
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
