"""The audit trail's filter form (a GET form: it changes nothing, so it carries no CSRF token)."""
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from ..core.forms import Form, WholeNumberField


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField("Action", choices=[], validate_choice=False, validators=[Optional()])
    object_type = SelectField("About", choices=[], validate_choice=False, validators=[Optional()])
    object_id = WholeNumberField("Record number", validators=[Optional(), NumberRange(min=1, max=2**31 - 1,
                             message="Enter a record number from 1 upwards.")])
    actor = StringField("Done by (user number)", validators=[Optional(), Length(max=12)])
    since = DateField("From", validators=[Optional()], description="For example, 2026-04-01")
    until = DateField("To", validators=[Optional()])
