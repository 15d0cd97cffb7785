"""Forms for hosting: applying, the host's decision, money received, expenses (pounds in, pence out)."""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...accounts.forms import strip
from ...core.input.fields import PlainDateField, PoundsField
from ...core.input.forms import Between, Form, WholeNumberField
from ..models import MAX_FEE_PERCENT


class ApplyForm(Form):
    partner_id = SelectField(
        "Partner to ask",
        coerce=int,
        validators=[InputRequired("Choose a partner.")],
        description="A partner the group knows, that can hold money for it.",
    )
    request = TextAreaField(
        "What the group asks of the host",
        filters=[strip],
        validators=[Optional(), Length(max=1000, message="Use at most 1000 characters.")],
        description="For example: hold our grant from the Arts Café and pay our room hire.",
    )


class DecisionForm(Form):
    decision = RadioField(
        "Your decision",
        choices=[("approve", "Agree to host the group"), ("decline", "Decline")],
        validators=[InputRequired("Choose whether to host the group.")],
    )
    starts_on = PlainDateField("Agreement starts", validators=[Optional()], description="For example 2026-07-01.")
    expires_on = PlainDateField(
        "Agreement expires", validators=[Optional()], description="At most 5 years later. It can be renewed."
    )
    fee_percent = WholeNumberField(
        "Host's fee, as a percentage of money received",
        validators=[
            Optional(),
            Between(1, MAX_FEE_PERCENT, f"The fee is a whole percentage from 1 to {MAX_FEE_PERCENT}, or none."),
        ],
        description=f"A whole number from 1 to {MAX_FEE_PERCENT}. Leave empty for no fee.",
    )
    reason = TextAreaField(
        "If you decline, why",
        filters=[strip],
        validators=[Optional(), Length(max=1000, message="Use at most 1000 characters.")],
    )


class MoneyForm(Form):
    amount = PoundsField(
        "Amount received, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the amount received.")],
        description="For example 250 or 1,250.50.",
    )
    received_on = PlainDateField("Date received", validators=[InputRequired("Enter the date it was received.")])
    note = StringField(
        "Where it came from",
        filters=[strip],
        validators=[Optional(), Length(max=300, message="Use at most 300 characters.")],
        description="For example: grant from Reds in the Community.",
    )


class ExpenseForm(Form):
    description = StringField(
        "What the money was spent on",
        filters=[strip],
        validators=[
            DataRequired("Say what the money was spent on."),
            Length(max=300, message="Use at most 300 characters."),
        ],
    )
    amount = PoundsField(
        "Amount, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the amount.")],
        description="For example 45.60.",
    )
    claimant_id = SelectField(
        "Who is claiming the money", coerce=int, validators=[InputRequired("Choose who is claiming the money.")]
    )


class CancelExpenseForm(Form):
    reason = TextAreaField(
        "Why should it be cancelled?",
        filters=[strip],
        validators=[
            DataRequired("Say why the expense should be cancelled, so the claimant knows."),
            Length(max=500, message="Use at most 500 characters."),
        ],
        description="The claimant and the other officers see this. A second officer must agree.",
    )


class RenewForm(Form):
    expires_on = PlainDateField(
        "New expiry date",
        validators=[InputRequired("Enter the new expiry date.")],
        description="After the present expiry date, and at most 5 years from today. For example 2028-05-31.",
    )
