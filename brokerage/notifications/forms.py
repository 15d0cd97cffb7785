"""The outbox page's forms and each person's choices of how they get each kind of email."""

from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from ..core.input.forms import Form
from .kinds import KINDS

DELIVERY_LABELS = {"immediately": "As it happens", "daily": "Once a day, in a daily summary", "never": "Never"}


class DigestTimeForm(Form):
    digest_time = StringField(
        "Time the daily summary goes (UK time)",
        description="Hours and minutes on the 24-hour clock, like 08:00.",
        validators=[InputRequired(message="Enter a time, like 08:00.")],
    )


def choices_form(current: dict[str, str]) -> Form:
    """One radio group per kind a person may choose (security messages always go, so are not listed)."""

    class ChoicesForm(Form):
        pass

    for name in current:
        kind = KINDS[name]
        setattr(
            ChoicesForm,
            name,
            RadioField(
                kind.label,
                choices=[(value.value, DELIVERY_LABELS[value.value]) for value in kind.choices],
                validators=[InputRequired(message=f"Choose how you get {kind.label.lower()}.")],
            ),
        )
    return ChoicesForm(data=current)
