"""Forms for signing in, passwords, invitations and roles."""

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from ..core.input.forms import CheckboxesField, Form
from ..core.values.roles import ROLE_LABELS


def strip(value):
    return value.strip() if isinstance(value, str) else value


ROLE_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]
EMAIL_VALIDATORS = [
    DataRequired("Enter an email address."),
    Length(max=254, message="Email addresses are at most 254 characters."),
    Email("Enter an email address in the right format, like name@example.org.", check_deliverability=False),
]


class LoginForm(Form):
    email = EmailField("Email address", validators=EMAIL_VALIDATORS, filters=[strip])
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])


class NewPasswordMixin:
    password = PasswordField(
        "New password",
        validators=[InputRequired("Enter a new password.")],
        description="At least 10 characters. Three or four unrelated words work well.",
    )
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("password", "The two passwords do not match."),
        ],
    )


class SetPasswordForm(NewPasswordMixin, Form):
    pass


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[InputRequired("Enter your current password.")])
    new_password = PasswordField(
        "New password",
        validators=[InputRequired("Enter a new password.")],
        description="At least 10 characters. Three or four unrelated words work well.",
    )
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            InputRequired("Type the new password again."),
            EqualTo("new_password", "The two passwords do not match."),
        ],
    )


class RolesForm(Form):
    roles = CheckboxesField(
        "Roles",
        choices=ROLE_CHOICES,
        validators=[DataRequired("Choose at least one role.")],
        description="A person can hold several roles.",
    )


class InviteForm(Form):
    name = StringField(
        "Full name",
        filters=[strip],
        validators=[
            DataRequired("Enter the person's name."),
            Length(max=120, message="Names are at most 120 characters."),
        ],
    )
    email = EmailField("Email address", validators=EMAIL_VALIDATORS, filters=[strip])
    roles = RolesForm.roles


class DetailsForm(Form):
    name = StringField(
        "Full name",
        filters=[strip],
        validators=[
            DataRequired("Enter the person's name."),
            Length(max=120, message="Names are at most 120 characters."),
        ],
    )


class _Expected:
    """Marks a field as expected (no "(optional)") without refusing any answer: the forgotten-password
    form answers every input with the same words."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class ForgotPasswordForm(Form):
    email = EmailField("Email address", validators=[_Expected()], description="The address you sign in with.")
