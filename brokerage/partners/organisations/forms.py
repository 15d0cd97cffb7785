"""The partner forms: registering or editing an organisation, and the search on the partner list."""

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ...core.input.fields import strip
from ...core.input.forms import CheckboxesField, Form, PickerField
from ...core.values.postcodes import normalise_postcode
from ..agreements.rules import AgreementStatus
from ..forms import INTEREST_CHOICES, LocalityChoicesMixin, check_with, length
from ..validation import normalise_charity_number, normalise_company_number, normalise_website
from ..vocabulary import PARTNER_TYPES
from .services import PartnerDetails


class PartnerForm(LocalityChoicesMixin, Form):
    name = StringField(
        "Organisation name", filters=[strip], validators=[DataRequired("Enter the organisation's name."), length(200)]
    )
    type = SelectField(
        "Type of organisation",
        choices=[("", "Choose a type"), *PARTNER_TYPES.items()],
        validators=[DataRequired("Choose the type of organisation.")],
    )
    charity_number = StringField(
        "Charity number",
        filters=[strip],
        validators=[length(20)],
        description="England and Wales registered charities: 6 to 8 digits.",
    )
    company_number = StringField(
        "Company number",
        filters=[strip],
        validators=[length(20)],
        description="Companies House: 8 characters, like 01234567 or SC123456.",
    )
    address_line_1 = StringField("Address line 1", filters=[strip], validators=[length(200)])
    address_line_2 = StringField("Address line 2", filters=[strip], validators=[length(200)])
    town = StringField("Town or city", filters=[strip], validators=[length(100)])
    postcode = StringField(
        "Postcode",
        filters=[strip],
        validators=[length(16)],
        description="Leave blank if the organisation has no fixed address.",
    )
    website = StringField("Website", filters=[strip], validators=[length(300)])
    localities = CheckboxesField(
        "Localities served",
        coerce=int,
        validators=[DataRequired("Choose at least one locality the organisation serves.")],
    )
    interests = CheckboxesField("Areas of interest", choices=INTEREST_CHOICES, validators=[Optional()])
    description = TextAreaField(
        "About the organisation",
        filters=[strip],
        validators=[length(5000)],
        description="What it does and who for, in a few sentences.",
    )

    def validate_charity_number(self, field):
        check_with(normalise_charity_number, field)

    def validate_company_number(self, field):
        check_with(normalise_company_number, field)

    def validate_postcode(self, field):
        check_with(normalise_postcode, field)

    def validate_website(self, field):
        check_with(normalise_website, field)

    def details(self) -> PartnerDetails:
        return PartnerDetails(
            name=self.name.data,
            type=self.type.data,
            charity_number=self.charity_number.data or "",
            company_number=self.company_number.data or "",
            address_line_1=self.address_line_1.data or "",
            address_line_2=self.address_line_2.data or "",
            town=self.town.data or "",
            postcode=self.postcode.data or "",
            website=self.website.data or "",
            description=self.description.data or "",
            locality_ids=list(self.localities.data or []),
            interests=list(self.interests.data or []),
        )


class PartnerFilterForm(Form):
    """The GET search form on the partner list; unknown values (from an edited address) are
    ignored, and a plain message by the field says so (the page shows the form's errors)."""

    class Meta:
        csrf = False

    q = StringField("Name", filters=[strip], validators=[Optional(), length(200)])
    locality = PickerField("Locality", "Choose a locality from the list.", validators=[Optional()])
    type = PickerField(
        "Type",
        "Choose a type from the list.",
        choices=[("", "Any type"), *PARTNER_TYPES.items()],
        validators=[Optional()],
    )
    interest = PickerField(
        "Interest",
        "Choose an interest from the list.",
        choices=[("", "Any interest"), *INTEREST_CHOICES],
        validators=[Optional()],
    )
    status = PickerField(
        "Agreement",
        "Choose an agreement status from the list.",
        choices=[("", "Any status"), *((s.value, s.label) for s in AgreementStatus)],
        validators=[Optional()],
    )
    archived = BooleanField("Include archived partners")

    def set_locality_choices(self, localities) -> None:
        self.locality.choices = [("", "Any locality"), *((locality.slug, locality.name) for locality in localities)]
