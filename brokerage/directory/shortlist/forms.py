"""Forms for the worker's shortlist: plain POST forms. Lengths are checked by the services, so
the messages live in one place."""

from wtforms import HiddenField, TextAreaField

from ...core.input.forms import Form


class ShortlistAddForm(Form):
    activity_id = HiddenField()
    next = HiddenField()


class ShortlistRemoveForm(Form):
    activity_id = HiddenField()


class ShortlistNoteForm(Form):
    note = TextAreaField(
        "Note for the person",
        description="For example, why you chose these. Do not write their name or anything that would identify them.",
    )
