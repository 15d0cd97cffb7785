"""Forms for wellbeing measures: the seven SWEMWBS items as 1-5 choices (labels from rules.py),
with the timepoint and date for a worker's entry, and a timepoint for a one-time link."""

from collections.abc import Mapping

from wtforms import RadioField
from wtforms.validators import InputRequired

from ...core.input.fields import PlainDateField
from ...core.input.forms import Form
from .models import TIMEPOINTS
from .rules import HIGHEST, ITEM_FIELDS, LOWEST, NEUTRAL_HINT, PARTICIPANT_NEUTRAL_HINT, choice_labels, item_labels


class ItemsForm(Form):
    """The seven statements; `labelled(config)` puts the licensed or neutral labels on them."""

    @classmethod
    def labelled(cls, config: Mapping, for_participant: bool = False, **kwargs) -> "ItemsForm":
        form = cls(**kwargs)
        labels, licensed = item_labels(config)
        choices = [
            (score, label) for score, label in zip(range(LOWEST, HIGHEST + 1), choice_labels(config), strict=False)
        ]
        for field_name, label in zip(ITEM_FIELDS, labels, strict=False):
            field = getattr(form, field_name)
            field.label.text = label
            field.choices = choices
        form.licensed = licensed
        form.neutral_hint = "" if licensed else PARTICIPANT_NEUTRAL_HINT if for_participant else NEUTRAL_HINT
        return form

    def items(self) -> tuple[int | None, ...]:
        return tuple(getattr(self, field).data for field in ITEM_FIELDS)


def _score(value) -> int | None:
    """A submitted score as a whole number; anything else is None, which the rules refuse by field."""
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 3 else None


def _item_field(number: int) -> RadioField:
    return RadioField(
        f"Statement {number}",
        coerce=_score,
        choices=[(score, str(score)) for score in range(1, 6)],
        validators=[InputRequired(f"Choose an answer for statement {number}.")],
        validate_choice=False,
    )


for _number, _name in enumerate(ITEM_FIELDS, start=1):
    setattr(ItemsForm, _name, _item_field(_number))


class MeasureForm(ItemsForm):
    timepoint = RadioField(
        "When was this measured?",
        choices=list(TIMEPOINTS.items()),
        validators=[InputRequired("Choose when this was measured.")],
    )
    measured_on = PlainDateField(
        "Date of the measure",
        description="For example, 2026-03-27.",
        message="Enter a real date, for example 2026-03-27.",
        validators=[InputRequired("Enter the date of the measure.")],
    )


class LinkForm(Form):
    timepoint = RadioField(
        "Which measure is the link for?",
        choices=list(TIMEPOINTS.items()),
        validators=[InputRequired("Choose which measure the link is for.")],
    )
