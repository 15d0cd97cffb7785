"""Form pieces shared by every feature, and `Form`, the base of every form.

`Form` does for every field what no form should have to remember: it refuses control
characters (NUL and the like) with a message by the field, and takes bidirectional controls
out of all text and line breaks out of single-line text (`characters.py`).
"""
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms import ValidationError, widgets

from ..errors import RuleViolation
from .characters import UNSAVEABLE_MESSAGE, has_unsaveable, multi_line, shown_safely, single_line


def clean_typed_input(field) -> None:
    """Refuse control characters in what was sent for `field` (the message replaces any about
    its format: the character is the problem) and tidy the text it holds."""
    if field.type == "CSRFTokenField":
        return
    raw = field.raw_data or []
    field.unsaveable = any(isinstance(value, str) and has_unsaveable(value) for value in raw)
    if field.unsaveable:
        field.raw_data = [shown_safely(value) if isinstance(value, str) else value for value in raw]
        field.process_errors = [UNSAVEABLE_MESSAGE]
    if not isinstance(field.data, str) or isinstance(field, PasswordField):
        return
    text = shown_safely(field.data)
    if isinstance(field, TextAreaField):
        text = multi_line(text)
    elif isinstance(field, StringField):
        text = single_line(text)
    field.data = text


class Form(FlaskForm):
    """The base of every form (a test checks that none is built on FlaskForm directly)."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        for field in self:
            clean_typed_input(field)

    def validate(self, extra_validators=None) -> bool:
        """As WTForms validates, except that a field sent a control character is invalid with
        that message first, even where a validator such as DataRequired clears the others."""
        valid = super().validate(extra_validators)
        refused = [field for field in self if getattr(field, "unsaveable", False)]
        for field in refused:
            field.errors = [UNSAVEABLE_MESSAGE, *(error for error in field.errors if error != UNSAVEABLE_MESSAGE)]
        return valid and not refused


class ConfirmForm(Form):
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
