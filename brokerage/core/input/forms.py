"""Form pieces shared by every feature, and `Form`, the base of every form.

`Form` does for every field what no form should have to remember: it refuses control
characters (NUL and the like) with a message by the field, takes bidirectional controls out
of all text and line breaks out of single-line text (`characters.py`), and, on the page of a
form whose sending failed because the session had ended or the page had expired, fills the
form again with what the person typed (`kept_forms.py`).
"""

from typing import TypeVar

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)

from ...errors import RuleViolation
from . import kept_forms
from .characters import UNSAVEABLE_MESSAGE, has_unsaveable, multi_line, shown_safely, single_line

MAX_WHOLE_NUMBER = 2**31 - 1  # the largest value of an integer column on PostgreSQL

Value = TypeVar("Value")


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

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None and formdata is not None:  # the page is being shown, not sent
                return kept_forms.kept_formdata(form)
            return wrapped

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


class Between:
    """A whole number from `min` to `max`, with a message that says so. Unlike NumberRange it
    never converts to float, which fails with a 500 on a 400-digit number. Every whole-number
    field has one, with a `max` a database column can hold (a test checks)."""

    def __init__(self, min: int, max: int, message: str | None = None):
        self.min, self.max = min, max
        self.message = message or f"Enter a whole number from {min:,} to {max:,}."

    def __call__(self, form, field) -> None:
        if field.data is not None and not self.min <= field.data <= self.max:
            raise ValidationError(self.message)


class WholeNumberField(IntegerField):
    """An integer field that refuses more than 10 digits before converting, so absurd input
    gets a message instead of overflowing a validator or the database. `message`, when given,
    replaces the generic message for text that is not a number; far too long a number gets
    the message of the field's range."""

    def __init__(self, *args, message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.message = message

    def _range_message(self) -> str:
        ranges = [check.message for check in self.validators if getattr(check, "max", None) is not None]
        return ranges[0] if ranges and ranges[0] else self.message or "Enter a smaller whole number."

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip().lstrip("+-")) > 10:
            self.data = None
            raise ValueError(self._range_message())
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


def validated(value: Value | None) -> Value:
    """A required field's value, read once its form has validated (its validators refuse it empty)."""
    if value is None:
        raise ValueError("A required field was read before its form validated.")
    return value
