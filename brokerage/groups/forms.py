"""Forms for a group's details, bank account, safeguarding and support."""

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..accounts.forms import strip
from ..core.input.fields import PlainDateField
from ..core.input.forms import Form
from .models import BANK_STATUSES
from .people.forms import blank_to_none, required

BANK_LABELS = {"not_started": "Not started", "applied": "Applied for", "open": "Open"}


class GroupForm(Form):
    name = StringField("Group name", filters=[strip], validators=required("Enter the group's name.", 120))
    aims = TextAreaField(
        "What the group is for",
        filters=[strip],
        validators=required("Enter the group's aims.", 2000),
        description="In a sentence or two, in the group's own words.",
    )
    activity = TextAreaField(
        "What the group does",
        filters=[strip],
        validators=required("Describe what the group does.", 2000),
        description="For example: a weekly walk, then tea and a chat.",
    )
    locality_id = SelectField("Locality", coerce=int, validators=[InputRequired("Choose a locality.")])
    meeting_place = StringField(
        "Where the group meets",
        filters=[strip],
        validators=required("Enter where the group meets.", 300),
        description="A venue name and address, or a member's home.",
    )
    meeting_place_private = BooleanField(
        "This is a private address (for example a member's home)",
        description="A private address is shown only to the group's members and supporters, never publicly.",
    )


class BankForm(Form):
    status = RadioField(
        "How far has the bank account got?",
        choices=[(s, BANK_LABELS[s]) for s in BANK_STATUSES],
        validators=[InputRequired("Choose how far the bank account has got.")],
    )
    account_name = StringField(
        "Name on the account",
        filters=[blank_to_none],
        validators=[Optional(), Length(max=120, message="Use at most 120 characters.")],
        description="Exactly as the bank shows it. It must match the constitution's name.",
    )
    last4 = StringField(
        "Last 4 digits of the account number",
        filters=[blank_to_none],
        description="Only these 4 digits are kept, never the whole number.",
    )


class SafeguardingForm(Form):
    adopted_on = PlainDateField(
        "Date the policy was adopted or last reviewed",
        validators=[InputRequired("Enter the date the policy was adopted or reviewed.")],
        description="Review it at least once a year.",
    )


class ChampionForm(Form):
    user_id = SelectField("Champion", coerce=int, validators=[InputRequired("Choose a champion.")])


class CloseForm(Form):
    reason = TextAreaField(
        "Why the group has closed", filters=[strip], validators=required("Say why the group has closed.", 500)
    )
