"""Form pieces shared by every feature."""
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

from ..errors import RuleViolation


class ConfirmForm(FlaskForm):
    """A button-only form: it carries the CSRF token for actions such as 'Deactivate'."""


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def apply_rule_violation(form: FlaskForm, error: RuleViolation) -> None:
    """Show a service's refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)
