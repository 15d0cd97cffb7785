"""Form pieces shared by every feature."""
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, ValidationError, widgets

from ..errors import RuleViolation


class ConfirmForm(FlaskForm):
    """A button-only form: it carries the CSRF token for actions such as 'Deactivate'."""


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WholeNumberField(IntegerField):
    """An integer field that refuses more than 9 digits before converting, so absurd input
    gets a message instead of overflowing a validator or the database. `message`, when given,
    replaces the generic messages for text that is not a number or is far too long."""

    def __init__(self, *args, message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip().lstrip("+-")) > 9:
            self.data = None
            raise ValueError(self.message or "Enter a smaller whole number.")
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message or "Enter a whole number, like 12.") from None


class PickerField(SelectField):
    """A choice from the list, with a plain message for anything else (a typed-in URL). It always
    has a value (the view gives a default), so it is marked required rather than optional."""

    def __init__(self, label: str, message: str, **kwargs):
        super().__init__(label, **kwargs)
        self.message = message
        self.flags.required = True

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None

    def pre_validate(self, form):
        if self.data not in [value for value, _ in self.choices]:
            raise ValidationError(self.message)


def apply_rule_violation(form: FlaskForm, error: RuleViolation) -> None:
    """Show a service's refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)
