"""The people forms: a named contact, and linking an account or a champion to a partner."""

from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Optional

from ...core.input.fields import strip
from ...core.input.forms import Form
from ..forms import check_with, length
from ..validation import normalise_phone
from .services import ContactDetails


class ContactForm(Form):
    name = StringField("Name", filters=[strip], validators=[DataRequired("Enter the contact's name."), length(120)])
    role = StringField(
        "Role",
        filters=[strip],
        validators=[length(120)],
        description="For example: project lead, volunteer coordinator.",
    )
    email = EmailField(
        "Email address",
        filters=[strip],
        validators=[
            Optional(),
            length(254),
            Email("Enter an email address in the right format, like name@example.org.", check_deliverability=False),
        ],
    )
    phone = StringField("Phone", filters=[strip], validators=[length(40)])
    is_primary = BooleanField("This is the main contact")

    def validate_phone(self, field):
        check_with(normalise_phone, field)

    def details(self) -> ContactDetails:
        return ContactDetails(
            name=self.name.data,
            role=self.role.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
            is_primary=bool(self.is_primary.data),
        )


class LinkAccountForm(Form):
    user = SelectField(
        "Person",
        coerce=int,
        validators=[DataRequired("Choose a person.")],
        description="People with the partner contact role.",
    )


class LinkChampionForm(Form):
    champion = SelectField("Champion", coerce=int, validators=[DataRequired("Choose a champion.")])
