"""Template filters: money from integer pence, dates in Europe/London."""

from datetime import date, datetime

from flask import Flask

from ..values.timeutils import to_london


def money(pence: int | None) -> str:
    """12345 -> '£123.45'; whole pounds drop the pence: 100000 -> '£1,000'."""
    if pence is None:
        return "—"
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(int(pence)), 100)
    return f"{sign}£{pounds:,}" if rest == 0 else f"{sign}£{pounds:,}.{rest:02d}"


def london_datetime(moment: datetime | None) -> str:
    """'Wed 19 Mar 2025, 6:05pm' in Europe/London."""
    if moment is None:
        return ""
    local = to_london(moment)
    hour = local.hour % 12 or 12
    return f"{local:%a} {local.day} {local:%b %Y}, {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def long_date(day: date | datetime | None) -> str:
    """'19 March 2025'."""
    if day is None:
        return ""
    if isinstance(day, str):  # a date kept in a snapshot: "2026-07-01"
        day = date.fromisoformat(day)
    if isinstance(day, datetime):
        day = to_london(day).date()
    return f"{day.day} {day:%B %Y}"


def register_filters(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(london_datetime, "datetime")
    app.add_template_filter(long_date, "date")
