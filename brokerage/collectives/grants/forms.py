"""Forms for a grant after approval: the signed grant agreement, the end-of-grant report,
closing the grant, and recording a payment against the award (pounds in, pence out)."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.input.fields import PlainDateField, PoundsField, strip
from ...core.input.forms import Between, Form, WholeNumberField
from ..bids.forms import WHOLE_NUMBER
from ..bids.services import MAX_PARTICIPANTS
from . import payments
from .payments import PaymentEvidence
from .stages import CLOSE_NOTE, MAX_REFERENCE, MAX_REPORT, MAX_SIGNATORY, AgreementDetails, ReportDetails


class AgreementForm(Form):
    signed_on = PlainDateField(
        "Date the partner signed the grant agreement",
        validators=[InputRequired("Enter the date the partner signed the grant agreement.")],
        description="For example 2026-07-01. Not before the award, not in the future.",
    )
    signed_by = StringField(
        "Who signed it for the partner?",
        filters=[strip],
        validators=[
            DataRequired("Enter the name and role of the person who signed for the partner."),
            Length(max=MAX_SIGNATORY, message=f"Keep this to {MAX_SIGNATORY} characters or fewer."),
        ],
        description="Their name and role, for example: Sam Patel, Chair of trustees.",
    )
    reference = StringField(
        "Agreement reference (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=MAX_REFERENCE, message=f"Keep the reference to {MAX_REFERENCE} characters or fewer."),
        ],
        description="The reference on the signed document, if it has one.",
    )

    def details(self) -> AgreementDetails:
        return AgreementDetails(
            signed_on=self.signed_on.data, signed_by=self.signed_by.data or "", reference=self.reference.data or ""
        )


class ReportForm(Form):
    participants = WholeNumberField(
        "How many people took part?",
        message=WHOLE_NUMBER,
        validators=[
            InputRequired("Enter how many people took part."),
            Between(0, MAX_PARTICIPANTS, f"Enter a number from 0 to {MAX_PARTICIPANTS:,}."),
        ],
    )
    what_happened = TextAreaField(
        "What did the project do, and what changed for the people who took part?",
        filters=[strip],
        validators=[
            DataRequired("Say what the project did and what changed for the people who took part."),
            Length(max=MAX_REPORT, message=f"Keep the report to {MAX_REPORT:,} characters or fewer."),
        ],
        description="A few paragraphs are enough: what happened, what went well, what you would change.",
    )

    def details(self) -> ReportDetails:
        return ReportDetails(participants=self.participants.data, what_happened=self.what_happened.data or "")


class CloseForm(Form):
    note = TextAreaField(
        "A note for the partner (optional)",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=CLOSE_NOTE, message=f"Keep the note to {CLOSE_NOTE:,} characters or fewer."),
        ],
        description="For example, thanks for the report. The partner sees it in the bid's history.",
    )


class PaymentForm(Form):
    amount = PoundsField(
        "Amount paid, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the amount paid.")],
        description="For example 2,500 or 1,250.50. No more than is left of the award.",
    )
    partner_funds_received = RadioField(
        "Have the partner's own funds for the project been received?",
        choices=[("yes", "Yes"), ("no", "No, not yet")],
        validators=[InputRequired("Say whether the partner's own funds have been received.")],
    )
    partner_funds_received_on = PlainDateField(
        "Date the partner's funds were received",
        validators=[Optional()],
        description="Only if they have been received. For example 2026-07-01.",
    )
    invoice_reference = StringField(
        "Invoice reference",
        filters=[strip],
        validators=[
            DataRequired("Enter the invoice reference."),
            Length(
                max=payments.MAX_REFERENCE,
                message=f"Keep the invoice reference to {payments.MAX_REFERENCE} characters or fewer.",
            ),
        ],
        description="The reference on the partner's invoice.",
    )

    def evidence(self) -> PaymentEvidence:
        received = self.partner_funds_received.data
        return PaymentEvidence(
            amount_pence=self.amount.pence,
            partner_funds_received=None if received not in ("yes", "no") else received == "yes",
            partner_funds_received_on=self.partner_funds_received_on.data,
            invoice_reference=self.invoice_reference.data or "",
        )
