"""Forms for guided first visits. Sessions are offered as choices but checked by the services
(`validate_choice=False`), so a session that passed while the page was open gets its own message."""

from datetime import datetime

from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired

from ...core.input.fields import strip
from ...core.input.forms import Form
from .rules import MEET_CHOICES


def chosen_start(value: str | None) -> datetime | None:
    """A session's start as offered (an ISO date and time), or None for anything else."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class AskForm(Form):
    session = RadioField("Which session would you like to go to?", validate_choice=False)
    meet = RadioField("Who would you like to meet you?", choices=MEET_CHOICES, default="either", validate_choice=False)
    first_name = StringField("Your first name", filters=[strip], description="So they know who to look out for.")
    phone = StringField("Phone number", filters=[strip])
    email = EmailField("Email address", filters=[strip], description="Give a phone number, an email address or both.")
    consent = BooleanField("")
    may_count = BooleanField("The club may count this visit in its report to Creative Minds, without my name")
    # The honeypot: hidden from people (and screen readers), filled in by programs that fill every field.
    homepage = StringField("Leave this empty")


class AnswerForm(Form):
    decision = RadioField(
        "Your answer",
        choices=[("accept", "Accept: we will meet them at this session"), ("offer", "Offer another session")],
        validators=[InputRequired("Choose whether to accept or offer another session.")],
    )
    session = RadioField("Another session", validate_choice=False, description="Only if you offer another session.")
    note = TextAreaField(
        "Note for the person",
        filters=[strip],
        description="Needed when you offer another session: say why, and who will meet them.",
    )


class OutcomeForm(Form):
    came = RadioField(
        "Did they come?",
        choices=[("yes", "Yes"), ("no", "No")],
        validators=[InputRequired("Say whether the person came.")],
    )
    came_back = RadioField(
        "Have they come back since?",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not yet known")],
        default="unknown",
        validate_choice=False,
    )
