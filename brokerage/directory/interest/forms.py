"""Forms for "I'm interested" and starting a group from the interest list.
Lengths and formats are checked by the services, so the messages live in one place."""

from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired

from ...core.input.forms import CheckboxesField, Form


class InterestForm(Form):
    first_name = StringField("Your first name", description="So they know who to expect.")
    contact = StringField(
        "Email address or phone number", description="Only if you would like someone to get in touch with you."
    )
    consent = BooleanField("")


class StartGroupForm(Form):
    name = StringField("Name of the new group", validators=[InputRequired("Enter a name for the group.")])
    locality_id = SelectField("Locality", coerce=int, validate_choice=False)
    interest_ids = CheckboxesField(
        "Founding members",
        coerce=int,
        validate_choice=False,
        description="People you have contacted who left a first name.",
    )
    agreed = BooleanField("Everyone I have chosen has agreed to be a founding member of the group")

    def set_choices(self, localities, people) -> None:
        self.locality_id.choices = localities
        self.interest_ids.choices = people
