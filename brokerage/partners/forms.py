"""Forms for partners, agreements, contacts, links and champion profiles. Each binds only its
declared fields and hands the service a plain value object, so extra posted fields do nothing."""
from datetime import date

from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..core.fields import PlainDateField
from ..core.forms import CheckboxesField, Form, PickerField
from ..core.postcodes import InvalidPostcode, normalise_postcode
from .agreements import AgreementStatus, AgreementTerms
from .champions import ChampionDetails
from .contacts import ContactDetails
from .services import PartnerDetails
from .validation import normalise_charity_number, normalise_company_number, normalise_phone, normalise_website
from .vocabulary import INTERESTS, PARTNER_TYPES


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _length(limit: int):
    return Length(max=limit, message=f"Use at most {limit} characters.")


def _check_with(normalise, field) -> None:
    if field.data:
        try:
            normalise(field.data)
        except (ValueError, InvalidPostcode) as error:
            raise ValidationError(str(error)) from error


INTEREST_CHOICES = list(INTERESTS.items())


class LocalityChoicesMixin:
    def set_locality_choices(self, localities) -> None:
        self.localities.choices = [(locality.id, locality.name) for locality in localities]


class PartnerForm(LocalityChoicesMixin, Form):
    name = StringField("Organisation name", filters=[strip],
                       validators=[DataRequired("Enter the organisation's name."), _length(200)])
    type = SelectField("Type of organisation", choices=[("", "Choose a type"), *PARTNER_TYPES.items()],
                       validators=[DataRequired("Choose the type of organisation.")])
    charity_number = StringField("Charity number", filters=[strip], validators=[_length(20)],
                                 description="England and Wales registered charities: 6 to 8 digits.")
    company_number = StringField("Company number", filters=[strip], validators=[_length(20)],
                                 description="Companies House: 8 characters, like 01234567 or SC123456.")
    address_line_1 = StringField("Address line 1", filters=[strip], validators=[_length(200)])
    address_line_2 = StringField("Address line 2", filters=[strip], validators=[_length(200)])
    town = StringField("Town or city", filters=[strip], validators=[_length(100)])
    postcode = StringField("Postcode", filters=[strip], validators=[_length(16)],
                           description="Leave blank if the organisation has no fixed address.")
    website = StringField("Website", filters=[strip], validators=[_length(300)])
    localities = CheckboxesField("Localities served", coerce=int,
                                 validators=[DataRequired("Choose at least one locality the organisation serves.")])
    interests = CheckboxesField("Areas of interest", choices=INTEREST_CHOICES, validators=[Optional()])
    description = TextAreaField("About the organisation", filters=[strip], validators=[_length(5000)],
                                description="What it does and who for, in a few sentences.")

    def validate_charity_number(self, field):
        _check_with(normalise_charity_number, field)

    def validate_company_number(self, field):
        _check_with(normalise_company_number, field)

    def validate_postcode(self, field):
        _check_with(normalise_postcode, field)

    def validate_website(self, field):
        _check_with(normalise_website, field)

    def details(self) -> PartnerDetails:
        return PartnerDetails(
            name=self.name.data, type=self.type.data, charity_number=self.charity_number.data or "",
            company_number=self.company_number.data or "", address_line_1=self.address_line_1.data or "",
            address_line_2=self.address_line_2.data or "", town=self.town.data or "",
            postcode=self.postcode.data or "", website=self.website.data or "",
            description=self.description.data or "", locality_ids=list(self.localities.data or []),
            interests=list(self.interests.data or []))


class UKDateField(PlainDateField):
    """A date typed as YYYY-MM-DD (the browser's date picker sends that), between 1990 and 2100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, earliest=date(1990, 1, 1), message="Enter a real date, like 2026-03-31.", **kwargs)


class AgreementForm(Form):
    signed_on = UKDateField("Date signed", validators=[Optional()],
                            description="Leave blank while the agreement is still being prepared.")
    expires_on = UKDateField("Agreement expires on", validators=[Optional()])
    insurance_expires_on = UKDateField("Public liability insurance expires on", validators=[Optional()])
    safeguarding_reviewed_on = UKDateField("Safeguarding policy last reviewed on", validators=[Optional()],
                                           description="Policies are reviewed every year.")
    dbs_arrangements = TextAreaField("DBS arrangements", filters=[strip], validators=[_length(2000)],
                                     description="Who holds DBS checks, at what level, and who checks them.")
    notes = TextAreaField("Notes", filters=[strip], validators=[_length(5000)])

    def terms(self) -> AgreementTerms:
        return AgreementTerms(signed_on=self.signed_on.data, expires_on=self.expires_on.data,
                              safeguarding_reviewed_on=self.safeguarding_reviewed_on.data,
                              insurance_expires_on=self.insurance_expires_on.data,
                              dbs_arrangements=self.dbs_arrangements.data or "", notes=self.notes.data or "")


class ContactForm(Form):
    name = StringField("Name", filters=[strip], validators=[DataRequired("Enter the contact's name."), _length(120)])
    role = StringField("Role", filters=[strip], validators=[_length(120)],
                       description="For example: project lead, volunteer coordinator.")
    email = EmailField("Email address", filters=[strip], validators=[
        Optional(), _length(254),
        Email("Enter an email address in the right format, like name@example.org.", check_deliverability=False)])
    phone = StringField("Phone", filters=[strip], validators=[_length(40)])
    is_primary = BooleanField("This is the main contact")

    def validate_phone(self, field):
        _check_with(normalise_phone, field)

    def details(self) -> ContactDetails:
        return ContactDetails(name=self.name.data, role=self.role.data or "", email=self.email.data or "",
                              phone=self.phone.data or "", is_primary=bool(self.is_primary.data))


class LinkAccountForm(Form):
    user = SelectField("Person", coerce=int, validators=[DataRequired("Choose a person.")],
                       description="People with the partner contact role.")


class LinkChampionForm(Form):
    champion = SelectField("Champion", coerce=int, validators=[DataRequired("Choose a champion.")])


class ChampionProfileForm(LocalityChoicesMixin, Form):
    localities = CheckboxesField("Localities", coerce=int, validators=[Optional()])
    interests = CheckboxesField("Interests", choices=INTEREST_CHOICES, validators=[Optional()])
    about = TextAreaField("About you", filters=[strip], validators=[_length(2000)],
                          description="What you enjoy and how you like to help. Partners see this.")

    def details(self) -> ChampionDetails:
        return ChampionDetails(locality_ids=list(self.localities.data or []),
                               interests=list(self.interests.data or []), about=self.about.data or "")


class CoordinatorChampionForm(ChampionProfileForm):
    is_service_user = BooleanField("Uses or has used the Trust's services")
    is_staff = BooleanField("Works for the Trust")


class PartnerFilterForm(Form):
    """The GET search form on the partner list; unknown values (from an edited address) are
    ignored, and a plain message by the field says so (the page shows the form's errors)."""

    class Meta:
        csrf = False

    q = StringField("Name", filters=[strip], validators=[Optional(), _length(200)])
    locality = PickerField("Locality", "Choose a locality from the list.", validators=[Optional()])
    type = PickerField("Type", "Choose a type from the list.", choices=[("", "Any type"), *PARTNER_TYPES.items()],
                       validators=[Optional()])
    interest = PickerField("Interest", "Choose an interest from the list.",
                           choices=[("", "Any interest"), *INTEREST_CHOICES], validators=[Optional()])
    status = PickerField("Agreement", "Choose an agreement status from the list.",
                         choices=[("", "Any status"), *((s.value, s.label) for s in AgreementStatus)],
                         validators=[Optional()])
    archived = BooleanField("Include archived partners")

    def set_locality_choices(self, localities) -> None:
        self.locality.choices = [("", "Any locality"), *((locality.slug, locality.name) for locality in localities)]
