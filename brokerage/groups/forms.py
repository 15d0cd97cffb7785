"""Forms for a group's details, its people and roles, bank account, safeguarding and support."""
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from ..accounts.forms import strip
from ..core.fields import PlainDateField
from ..core.forms import CheckboxesField, Form
from .models import BANK_STATUSES
from .people import KIND_LABELS

BANK_LABELS = {"not_started": "Not started", "applied": "Applied for", "open": "Open"}


def _required(message: str, limit: int) -> list:
    return [DataRequired(message), Length(max=limit, message=f"Use at most {limit} characters.")]


def blank_to_none(value):
    value = strip(value)
    return value or None


class GroupForm(Form):
    name = StringField("Group name", filters=[strip], validators=_required("Enter the group's name.", 120))
    aims = TextAreaField("What the group is for", filters=[strip], validators=_required("Enter the group's aims.", 2000),
                         description="In a sentence or two, in the group's own words.")
    activity = TextAreaField("What the group does", filters=[strip],
                             validators=_required("Describe what the group does.", 2000),
                             description="For example: a weekly walk, then tea and a chat.")
    locality_id = SelectField("Locality", coerce=int, validators=[InputRequired("Choose a locality.")])
    meeting_place = StringField("Where the group meets", filters=[strip],
                                validators=_required("Enter where the group meets.", 300),
                                description="A venue name and address, or a member's home.")
    meeting_place_private = BooleanField("This is a private address (for example a member's home)",
                                         description="A private address is shown only to the group's members "
                                                     "and supporters, never publicly.")


class PersonForm(Form):
    name = StringField("Name", filters=[strip], validators=_required("Enter the person's name.", 120))
    consent_given = BooleanField("They agree to the group keeping their details",
                                 description="Ask them first. Without their agreement, keep only their name.")
    consent_on = PlainDateField("Date they agreed", validators=[Optional()], description="For example, 2026-03-15.")
    contact = StringField("Phone number or email address", filters=[blank_to_none],
                          validators=[Optional(), Length(max=200, message="Use at most 200 characters.")],
                          description="Only with their agreement.")
    account_email = EmailField("Their account email, if they have an account here", filters=[blank_to_none],
                               validators=[Optional(), Email("Enter an email address like name@example.org.",
                                                             check_deliverability=False)],
                               description="Members with an account can see the group's pages.")


class RolesForm(Form):
    committee_ids = CheckboxesField("Committee members", coerce=int, description="Officers are always on it.")
    signatory_ids = CheckboxesField("Bank signatories", coerce=int,
                                    description="The people who can authorise payments from the bank account.")


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
    kind = RadioField("How they are related", choices=list(KIND_LABELS.items()),
                      validators=[InputRequired("Choose how they are related.")])


class BankForm(Form):
    status = RadioField("How far has the bank account got?", choices=[(s, BANK_LABELS[s]) for s in BANK_STATUSES],
                        validators=[InputRequired("Choose how far the bank account has got.")])
    account_name = StringField("Name on the account", filters=[blank_to_none],
                               validators=[Optional(), Length(max=120, message="Use at most 120 characters.")],
                               description="Exactly as the bank shows it. It must match the constitution's name.")
    last4 = StringField("Last 4 digits of the account number", filters=[blank_to_none],
                        description="Only these 4 digits are kept, never the whole number.")


class SafeguardingForm(Form):
    adopted_on = PlainDateField("Date the policy was adopted or last reviewed",
                                validators=[InputRequired("Enter the date the policy was adopted or reviewed.")],
                                description="Review it at least once a year.")


class ChampionForm(Form):
    user_id = SelectField("Champion", coerce=int, validators=[InputRequired("Choose a champion.")])


class CloseForm(Form):
    reason = TextAreaField("Why the group has closed", filters=[strip],
                           validators=_required("Say why the group has closed.", 500))


def offer_people(people, *, roles: RolesForm, officers: OfficersForm, relationship: RelationshipForm) -> None:
    """Fill the person choices of the people page's forms."""
    options = [(person.id, person.name) for person in people]
    roles.committee_ids.choices = roles.signatory_ids.choices = options
    for name in ("chair", "secretary", "treasurer", "welfare_lead"):
        getattr(officers, name).choices = [(0, "Nobody yet"), *options]
    relationship.first_id.choices = relationship.second_id.choices = [(0, "Choose a person"), *options]
