"""The public application form (the partner form's own fields and checks, a contact, a proposal and a
honeypot) and the coordinator's reason for declining."""

from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email

from ...core.input.fields import strip
from ...core.input.forms import Form
from ..forms import LocalityChoicesMixin, check_with, length
from ..organisations.forms import PartnerForm
from ..validation import normalise_phone
from .rules import LONGEST_PROPOSAL, LONGEST_REASON
from .services import ApplicationDetails


class ApplicationForm(LocalityChoicesMixin, Form):
    name = PartnerForm.name
    type = PartnerForm.type
    charity_number = PartnerForm.charity_number
    company_number = PartnerForm.company_number
    contact_name = StringField("Your name", filters=[strip], validators=[DataRequired("Enter your name."), length(120)])
    contact_email = EmailField(
        "Your email address",
        filters=[strip],
        description="We will answer here.",
        validators=[
            DataRequired("Enter your email address."),
            length(254),
            Email("Enter an email address in the right format, like name@example.org.", check_deliverability=False),
        ],
    )
    contact_phone = StringField("Your phone number", filters=[strip], validators=[length(40)])
    localities = PartnerForm.localities
    interests = PartnerForm.interests
    proposal = TextAreaField(
        "What would your organisation like to do with Creative Minds?",
        filters=[strip],
        validators=[DataRequired("Say what your organisation would like to do."), length(LONGEST_PROPOSAL)],
        description="For example: host a group, run activities, or offer a space.",
    )
    # The honeypot: hidden from people (and screen readers), filled in by programs that fill every field.
    homepage = StringField("Leave this empty")

    validate_charity_number = PartnerForm.validate_charity_number
    validate_company_number = PartnerForm.validate_company_number

    def validate_contact_phone(self, field):
        check_with(normalise_phone, field)

    def details(self) -> ApplicationDetails:
        return ApplicationDetails(
            name=self.name.data,
            type=self.type.data,
            charity_number=self.charity_number.data or "",
            company_number=self.company_number.data or "",
            contact_name=self.contact_name.data,
            contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data or "",
            locality_ids=list(self.localities.data or []),
            interests=list(self.interests.data or []),
            proposal=self.proposal.data or "",
        )


class DeclineForm(Form):
    reason = TextAreaField(
        "Why is it declined?",
        filters=[strip],
        validators=[DataRequired("Say why the application is declined."), length(LONGEST_REASON)],
        description="The applicant will read this in an email. Be kind and clear.",
    )
