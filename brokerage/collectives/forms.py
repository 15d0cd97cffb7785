"""Forms for joining, registers of interests and allocating money (pounds in, pence out)."""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.input.fields import PlainDateField, PoundsField, strip
from ..core.input.forms import Form
from .models import CONSTITUENCY_LABELS


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class AllocateForm(Form):
    amount = PoundsField(
        "Amount to allocate, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the amount to allocate.")],
        description="For example 50,000 or 1,250.50. At most £10,000,000 at a time.",
    )
    year = RadioField("Financial year", validators=[InputRequired("Choose the financial year.")])
    note = StringField(
        "Where the money comes from",
        filters=[strip],
        validators=[Optional(), Length(max=500, message="Keep this to 500 characters or fewer.")],
        description="For example: locality share of the Trust's commitment.",
    )


class JoinForm(Form):
    constituency = RadioField(
        "Which of these describes you best?",
        choices=[(key.value, label) for key, label in CONSTITUENCY_LABELS.items()],
        validators=[InputRequired("Choose the description that fits you best.")],
        description="Collectives need a mix of voices. Only coordinators and you will see your answer.",
    )
    message = TextAreaField(
        "Anything you would like the collective to know",
        filters=[strip],
        validators=[Optional(), Length(max=1000, message="Keep this to 1,000 characters or fewer.")],
        description="For example, what you hope to bring or how you like to take part.",
    )


class InterestForm(Form):
    organisation_name = StringField(
        "Organisation or group",
        filters=[strip],
        validators=[Length(max=200, message="Keep the name to 200 characters or fewer.")],
        description="Leave this blank if you chose a partner above.",
    )
    partner_id = SelectField("Is it one of our community partners?", coerce=_optional_id, validate_choice=True)
    nature = TextAreaField(
        "What is the connection?",
        filters=[strip],
        validators=[
            DataRequired("Say what the connection is."),
            Length(max=500, message="Keep this to 500 characters or fewer."),
        ],
        description="For example: I volunteer there, I am a trustee, my partner works there.",
    )
    since = PlainDateField(
        "Since when?",
        validators=[InputRequired("Enter the date the connection began.")],
        description="Your best guess is fine.",
    )

    def set_partners(self, partners: list[tuple[int, str]]) -> None:
        self.partner_id.choices = [("", "No, or not sure")] + list(partners)


class EndInterestForm(Form):
    ended_on = PlainDateField(
        "When did the connection end?", validators=[InputRequired("Enter the date the connection ended.")]
    )


class ReverseForm(Form):
    note = StringField(
        "Why is this entry being reversed?",
        filters=[strip],
        validators=[
            DataRequired("Say why this entry is being reversed."),
            Length(max=500, message="Keep this to 500 characters or fewer."),
        ],
        description="For example: typed £5,000 instead of £500. This stays in the ledger.",
    )
