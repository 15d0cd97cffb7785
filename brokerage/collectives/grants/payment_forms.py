"""The form for recording a payment against an award (pounds in, pence out)."""
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.fields import PlainDateField, PoundsField, strip
from ...core.forms import Form
from .payments import MAX_REFERENCE, PaymentEvidence


class PaymentForm(Form):
    amount = PoundsField("Amount paid, in pounds", filters=[strip], validators=[DataRequired("Enter the amount paid.")],
                         description="For example 2,500 or 1,250.50. No more than is left of the award.")
    partner_funds_received = RadioField(
        "Have the partner's own funds for the project been received?",
        choices=[("yes", "Yes"), ("no", "No, not yet")],
        validators=[InputRequired("Say whether the partner's own funds have been received.")])
    partner_funds_received_on = PlainDateField(
        "Date the partner's funds were received", validators=[Optional()],
        description="Only if they have been received. For example 2026-07-01.")
    invoice_reference = StringField(
        "Invoice reference", filters=[strip],
        validators=[DataRequired("Enter the invoice reference."),
                    Length(max=MAX_REFERENCE, message=f"Keep the invoice reference to {MAX_REFERENCE} characters "
                                                      "or fewer.")],
        description="The reference on the partner's invoice.")

    def evidence(self) -> PaymentEvidence:
        received = self.partner_funds_received.data
        return PaymentEvidence(amount_pence=self.amount.pence,
                               partner_funds_received=None if received not in ("yes", "no") else received == "yes",
                               partner_funds_received_on=self.partner_funds_received_on.data,
                               invoice_reference=self.invoice_reference.data or "")
