"""Forms for joining, registers of interests and allocating money (pounds in, pence out)."""
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from .ledger import MAX_AMOUNT_PENCE
from .models import CONSTITUENCY_LABELS

POUNDS = re.compile(r"^\d+(\.\d+)?$")
EARLIEST_DATE = date(1900, 1, 1)


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


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


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
    """A date box with a clear message when the date is not a real one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a real date, like 2026-04-01.") from error

    def pre_validate(self, form):
        if self.data is not None and self.data < EARLIEST_DATE:
            raise ValidationError("Enter a date after 1900.")


class AllocateForm(FlaskForm):
    amount = PoundsField("Amount to allocate, in pounds", filters=[strip],
                         validators=[DataRequired("Enter the amount to allocate.")],
                         description="For example 50,000 or 1,250.50. At most £10,000,000 at a time.")
    year = RadioField("Financial year", validators=[InputRequired("Choose the financial year.")])
    note = StringField("Where the money comes from", filters=[strip],
                       validators=[Optional(), Length(max=500, message="Keep this to 500 characters or fewer.")],
                       description="For example: locality share of the Trust's commitment.")


class JoinForm(FlaskForm):
    constituency = RadioField(
        "Which of these describes you best?", choices=[(key.value, label) for key, label in CONSTITUENCY_LABELS.items()],
        validators=[InputRequired("Choose the description that fits you best.")],
        description="Collectives need a mix of voices. Only coordinators and you will see your answer.")
    message = TextAreaField("Anything you would like the collective to know", filters=[strip],
                            validators=[Optional(), Length(max=1000, message="Keep this to 1,000 characters or fewer.")],
                            description="For example, what you hope to bring or how you like to take part.")


class InterestForm(FlaskForm):
    organisation_name = StringField("Organisation or group", filters=[strip],
                                    validators=[Length(max=200, message="Keep the name to 200 characters or fewer.")],
                                    description="Leave this blank if you chose a partner above.")
    partner_id = SelectField("Is it one of our community partners?", coerce=_optional_id,
                             validate_choice=True)
    nature = TextAreaField("What is the connection?", filters=[strip],
                           validators=[DataRequired("Say what the connection is."),
                                       Length(max=500, message="Keep this to 500 characters or fewer.")],
                           description="For example: I volunteer there, I am a trustee, my partner works there.")
    since = PlainDateField("Since when?", validators=[InputRequired("Enter the date the connection began.")],
                           description="Your best guess is fine.")

    def set_partners(self, partners: list[tuple[int, str]]) -> None:
        self.partner_id.choices = [("", "No, or not sure")] + list(partners)


class EndInterestForm(FlaskForm):
    ended_on = PlainDateField("When did the connection end?",
                              validators=[InputRequired("Enter the date the connection ended.")])


class ReverseForm(FlaskForm):
    note = StringField("Why is this entry being reversed?", filters=[strip],
                       validators=[DataRequired("Say why this entry is being reversed."),
                                   Length(max=500, message="Keep this to 500 characters or fewer.")],
                       description="For example: typed £5,000 instead of £500. This stays in the ledger.")
