"""Forms for recording general meetings as held."""

from wtforms import RadioField, SelectField, ValidationError
from wtforms.validators import InputRequired

from ...core.input.fields import PlainDateField
from ...core.input.forms import Between, CheckboxesField, Form, WholeNumberField
from ..constitution.forms import MAX_MEMBERS


def ticked(form, field) -> None:
    """Like InputRequired, without marking every checkbox as required."""
    if not field.data:
        raise ValidationError("Tick the members who were at the meeting.")


def _count(label: str) -> WholeNumberField:
    return WholeNumberField(
        label,
        message="Enter a whole number, like 5.",
        validators=[
            InputRequired("Enter a number (0 if none)."),
            Between(0, MAX_MEMBERS, f"Enter a number from 0 to {MAX_MEMBERS} (0 if none)."),
        ],
    )


class AnnualMeetingForm(Form):
    held_on = PlainDateField("Date of the meeting", validators=[InputRequired("Enter the date of the meeting.")])
    notice_given_on = PlainDateField(
        "Date members were given notice", validators=[InputRequired("Enter the date members were given notice.")]
    )
    attendee_ids = CheckboxesField("Members present", coerce=int, validators=[ticked])


class VoteMixin:
    proposer_id = SelectField("Proposed by", coerce=int, validators=[InputRequired("Choose who proposed it.")])
    seconder_id = SelectField(
        "Seconded by",
        coerce=int,
        validators=[InputRequired("Choose who seconded it.")],
        description="A different person from the proposer.",
    )
    votes_for = _count("Votes for")
    votes_against = _count("Votes against")
    votes_abstain = _count("Abstentions")


class FoundingMeetingForm(VoteMixin, Form):
    held_on = PlainDateField(
        "Date of the founding meeting", validators=[InputRequired("Enter the date of the meeting.")]
    )
    attendee_ids = AnnualMeetingForm.attendee_ids


class AmendmentMeetingForm(VoteMixin, Form):
    kind = RadioField(
        "Kind of meeting",
        choices=[("annual", "Annual general meeting"), ("special", "Special general meeting")],
        validators=[InputRequired("Choose the kind of meeting.")],
    )
    held_on = AnnualMeetingForm.held_on
    notice_given_on = PlainDateField(
        "Date members were given notice of the changes",
        validators=[InputRequired("Enter the date members were given notice.")],
    )
    attendee_ids = AnnualMeetingForm.attendee_ids


def offer_people(form: Form, people) -> Form:
    """Fill the person choices of a meeting form with the group's members."""
    options = [(person.id, person.name) for person in people]
    form.attendee_ids.choices = options
    for name in ("proposer_id", "seconder_id"):
        if hasattr(form, name):
            getattr(form, name).choices = [(0, "Choose a person"), *options]
    return form
