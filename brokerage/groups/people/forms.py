"""Forms for a group's people: members, committee and signatories, officers, relationships."""

from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from ...accounts.forms import strip
from ...core.input.fields import PlainDateField
from ...core.input.forms import CheckboxesField, Form
from .services import KIND_LABELS


def required(message: str, limit: int) -> list:
    return [DataRequired(message), Length(max=limit, message=f"Use at most {limit} characters.")]


def blank_to_none(value):
    value = strip(value)
    return value or None


class PersonForm(Form):
    name = StringField("Name", filters=[strip], validators=required("Enter the person's name.", 120))
    consent_given = BooleanField(
        "They agree to the group keeping their details",
        description="Ask them first. Without their agreement, keep only their name.",
    )
    consent_on = PlainDateField("Date they agreed", validators=[Optional()], description="For example, 2026-03-15.")
    contact = StringField(
        "Phone number or email address",
        filters=[blank_to_none],
        validators=[Optional(), Length(max=200, message="Use at most 200 characters.")],
        description="Only with their agreement.",
    )
    account_email = EmailField(
        "Their account email, if they have an account here",
        filters=[blank_to_none],
        validators=[Optional(), Email("Enter an email address like name@example.org.", check_deliverability=False)],
        description="Members with an account can see the group's pages.",
    )


class RolesForm(Form):
    committee_ids = CheckboxesField("Committee members", coerce=int, description="Officers are always on it.")
    signatory_ids = CheckboxesField(
        "Bank signatories", coerce=int, description="The people who can authorise payments from the bank account."
    )


def _office(label: str, description: str = "") -> SelectField:
    return SelectField(label, coerce=int, validators=[Optional()], description=description)


class OfficersForm(Form):
    chair = _office("Chair")
    secretary = _office("Secretary")
    treasurer = _office("Treasurer")
    welfare_lead = _office("Welfare lead", "Also the group's named safeguarding lead.")


class RelationshipForm(Form):
    first_id = SelectField("First person", coerce=int, validators=[InputRequired("Choose the first person.")])
    second_id = SelectField("Second person", coerce=int, validators=[InputRequired("Choose the second person.")])
    kind = RadioField(
        "How they are related",
        choices=list(KIND_LABELS.items()),
        validators=[InputRequired("Choose how they are related.")],
    )


def offer_people(people, *, roles: RolesForm, officers: OfficersForm, relationship: RelationshipForm) -> None:
    """Fill the person choices of the people page's forms."""
    options = [(person.id, person.name) for person in people]
    roles.committee_ids.choices = roles.signatory_ids.choices = options
    for name in ("chair", "secretary", "treasurer", "welfare_lead"):
        getattr(officers, name).choices = [(0, "Nobody yet"), *options]
    relationship.first_id.choices = relationship.second_id.choices = [(0, "Choose a person"), *options]


class AccountForm(Form):
    person_id = SelectField("Person", coerce=int, validators=[InputRequired("Choose the person.")])
    email = EmailField(
        "Their email address",
        filters=[strip],
        validators=[
            DataRequired("Enter their email address."),
            Length(max=254, message="Use at most 254 characters."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
        description="If they already have an account with this email, it is linked to them. "
        "If not, they are emailed a link to set a password.",
    )


def offer_accountless(people, form: AccountForm) -> None:
    form.person_id.choices = [(0, "Choose a person"), *((p.id, p.name) for p in people if p.user_id is None)]
