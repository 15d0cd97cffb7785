"""Form fields for money and dates, shared by every feature's forms."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from wtforms import DateField, StringField, TimeField
from wtforms.validators import ValidationError

MAX_AMOUNT_PENCE = 1_000_000_000  # £10,000,000: no single amount is larger (and it fits a 32-bit column)
POUNDS = re.compile(r"^\d+(\.\d+)?$")
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def pounds_to_pence(text: str) -> int:
    """'£1,250.50' -> 125050. Raises ValueError with a message for the person."""
    cleaned = text.replace("£", "").replace(",", "").replace(" ", "").strip()
    if cleaned.startswith("-"):
        raise ValueError("Enter an amount greater than £0.")
    if not POUNDS.match(cleaned):
        raise ValueError("Enter an amount in pounds, like 1,250.50.")
    try:
        pence = Decimal(cleaned) * 100
    except InvalidOperation as error:
        raise ValueError("Enter an amount in pounds, like 1,250.50.") from error
    if pence != pence.to_integral_value():
        raise ValueError("Enter the amount in pounds and pence, with at most 2 digits after the point.")
    if pence <= 0:
        raise ValueError("Enter an amount greater than £0.")
    if pence > MAX_AMOUNT_PENCE:
        raise ValueError("Enter an amount no more than £10,000,000.")
    return int(pence)


def pounds(pence: int | None) -> str:
    """12345 -> '123.45' (for filling a pounds box)."""
    if pence is None:
        return ""
    return f"{pence // 100}" if pence % 100 == 0 else f"{pence // 100}.{pence % 100:02d}"


class PoundsField(StringField):
    """A text box for pounds ('1,250.50'); `pence` holds the integer pence once validated."""

    pence: int | None = None

    def pre_validate(self, form):
        self.pence = None
        if not (self.data or "").strip():
            return
        try:
            self.pence = pounds_to_pence(self.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class PlainDateField(DateField):
    """A date box with a clear message when the date is not a real one, or lies outside
    `earliest`..`latest` (1900 to 2100 unless the field says otherwise): nobody means a date
    further off, and arithmetic on the year 9999 or 0001 (the day after, London midnight in
    UTC) overflows. `message` replaces the message for a date that is not a real one."""

    def __init__(
        self,
        *args,
        earliest: date = EARLIEST_DATE,
        latest: date = LATEST_DATE,
        message: str = "Enter a real date, like 2026-04-01.",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.earliest, self.latest, self.message = earliest, latest, message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.message) from error

    def pre_validate(self, form):
        if self.data is not None and not self.earliest <= self.data <= self.latest:
            raise ValidationError(f"Enter a date between {self.earliest.year} and {self.latest.year}.")


class PlainTimeField(TimeField):
    """A time box with a clear message when the time is not a real one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a time on the 24-hour clock, like 18:00.") from error
