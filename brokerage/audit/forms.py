"""The audit trail's filter form (a GET form: it changes nothing, so it carries no CSRF token)."""

from wtforms import SelectField
from wtforms.validators import Length, Optional

from ..core.input.fields import PlainDateField
from ..core.input.forms import MAX_WHOLE_NUMBER, Between, Form, WholeNumberField


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    # As long as the columns at most: a longer filter matches nothing, and SQLite refuses a LIKE
    # pattern that long ("pattern too complex") rather than answering.
    action = SelectField(
        "Action",
        choices=[],
        validate_choice=False,
        validators=[Optional(), Length(max=64, message="Choose an action from the list.")],
    )
    object_type = SelectField(
        "About",
        choices=[],
        validate_choice=False,
        validators=[Optional(), Length(max=40, message="Choose what the events are about from the list.")],
    )
    object_id = WholeNumberField(
        "Record number", validators=[Optional(), Between(1, MAX_WHOLE_NUMBER, "Enter a record number from 1 upwards.")]
    )
    actor = WholeNumberField(
        "Done by (user number)",
        validators=[Optional(), Between(1, MAX_WHOLE_NUMBER, "Enter a user number from 1 upwards.")],
    )
    since = PlainDateField("From", validators=[Optional()], description="For example, 2026-04-01")
    until = PlainDateField("To", validators=[Optional()])
