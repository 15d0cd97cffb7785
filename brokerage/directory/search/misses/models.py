"""What the public search keeps: anonymous counts of the searches that found nothing.

A row counts the searches of one month, near one postcode district, with one category, day and
time-of-day filter and one known word (or none, or "other words"): never a full postcode, an
address, an IP or what was typed (search/misses/rules.py decides the key; search/misses/services.py counts).
Rows older than 12 months are deleted (`flask directory purge-search-misses`)."""

from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ....extensions import Model


class SearchMiss(Model):
    __tablename__ = "search_miss"
    __table_args__ = (
        UniqueConstraint("month", "district", "category", "days", "times", "words"),
        CheckConstraint("searches > 0", name="searches_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # the first day of the month, Europe/London
    district: Mapped[str] = mapped_column(String(4), index=True)  # a postcode district, like HD3
    category: Mapped[str] = mapped_column(String(60), default="")  # a taxonomy term code, "" for any
    days: Mapped[str] = mapped_column(String(13), default="")  # weekdays searched (0 = Monday), like "5,6"
    times: Mapped[str] = mapped_column(String(30), default="")  # parts of the day searched, like "evening"
    words: Mapped[str] = mapped_column(String(80), default="")  # known words, "" for none, "*" for others
    searches: Mapped[int] = mapped_column(Integer)
