"""One form per constitution question; the services apply the rules and give the reasons."""

import calendar

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ...accounts.forms import strip
from ...core.input.forms import Between, Form, WholeNumberField
from .rules import HOSTING_LABELS

MAX_MEMBERS = 500  # far more than any peer-led group: a bound on counts of members


def _number(label: str, most: int, description: str = "") -> WholeNumberField:
    """A whole number from 0 to `most` (the rules explain the smallest sensible value: a number
    below it is refused there, with the reason)."""
    return WholeNumberField(
        label,
        description=description,
        message="Enter a whole number, like 5.",
        validators=[
            InputRequired("Enter a whole number."),
            Between(0, most, f"Enter a whole number from 0 to {most:,}."),
        ],
    )


def _text(label: str, limit: int, description: str = "") -> StringField:
    return StringField(
        label,
        filters=[strip],
        description=description,
        validators=[
            DataRequired(f"Enter {label.lower()}."),
            Length(max=limit, message=f"Use at most {limit} characters."),
        ],
    )


class NameForm(Form):
    name = _text("The group's name", 120, "Your bank account will have to be in exactly this name.")


class AimsForm(Form):
    aims = TextAreaField(
        "The group's aims",
        filters=[strip],
        validators=[DataRequired("Enter the group's aims."), Length(max=2000, message="Use at most 2000 characters.")],
    )
    area_of_benefit = _text("The area of benefit", 300, "Where the people the group helps live, like Barnsley.")


class MembershipForm(Form):
    membership_open_to = _text(
        "Membership is open to", 500, "Finish the sentence \u201cMembership is open to \u2026\u201d."
    )


class CommitteeForm(Form):
    committee_min = _number("Smallest committee", 50, "At least 3 people.")
    committee_max = _number("Largest committee", 50)
    committee_unrelated_min = _number(
        "How many committee members must be unrelated to each other",
        50,
        "At least 2: not family, partners or living at the same address.",
    )
    officer_term_years = _number("Years an officer serves before standing again", 10, "1, 2 or 3.")


class MeetingsForm(Form):
    agm_within_months = _number("Hold each AGM within this many months of the last", 60, "15 at most.")
    notice_days = _number("Days' notice of a general meeting", 365, "At least 14.")
    amendment_notice_days = _number("Days' notice of a meeting to change the constitution", 365, "At least 21.")
    special_meeting_request = _number("Members who can ask for a special meeting", MAX_MEMBERS, "At least 2.")


class QuorumForm(Form):
    quorum_minimum = _number("Smallest number of members present", MAX_MEMBERS, "Usually 5. At least 3.")
    quorum_fraction = RadioField(
        "Or this share of all members, if that is more",
        coerce=int,
        choices=[(3, "A third"), (2, "Half")],
        validators=[InputRequired("Choose a share of the members.")],
    )


class SignatoriesForm(Form):
    signatories_minimum = _number("Number of signatories", 20, "At least 3, so two can sign when one is away.")
    signatures_per_payment = _number("Unrelated signatories needed for each payment", 20, "At least 2.")


class HostingForm(Form):
    hosting = RadioField(
        "Where the money is kept",
        choices=list(HOSTING_LABELS.items()),
        validators=[InputRequired("Choose where the money is kept.")],
    )


class YearEndForm(Form):
    year_end_month = RadioField(
        "The financial year ends on the last day of",
        coerce=int,
        choices=[(number, calendar.month_name[number]) for number in range(1, 13)],
        validators=[InputRequired("Choose a month.")],
    )


class AmendmentsForm(Form):
    amendment_threshold = RadioField(
        "Share of members present and voting who must agree to a change",
        choices=[("two_thirds", "Two-thirds"), ("three_quarters", "Three-quarters")],
        validators=[InputRequired("Choose how many must agree.")],
    )


class DissolutionForm(Form):
    dissolution_recipient = _text(
        "Name or describe who receives it",
        300,
        "For example: another walking group in Barnsley, or a local mental health charity.",
    )


QUESTION_FORMS = {
    "name": NameForm,
    "aims": AimsForm,
    "membership": MembershipForm,
    "committee": CommitteeForm,
    "meetings": MeetingsForm,
    "quorum": QuorumForm,
    "signatories": SignatoriesForm,
    "hosting": HostingForm,
    "year-end": YearEndForm,
    "amendments": AmendmentsForm,
    "dissolution": DissolutionForm,
}
