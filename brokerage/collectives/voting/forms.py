"""Forms for votes: opening one, the interests question, the ballot, assisted votes and
meeting mode. Only the declared fields are read."""

from wtforms import BooleanField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...core.input.fields import PlainDateField, strip
from ...core.input.forms import CheckboxesField, Form
from .ballots import Answer, Ballot
from .rules import Choice, RuleSet

WINDOW_CHOICES = [(str(days), f"{days} days") for days in range(2, 8)]
ANSWERS = [
    ("no_interest", "No, I have no connection to declare"),
    ("interest", "Yes, I have a connection with this organisation or project"),
]
CHOICES = [
    (Choice.SUPPORT.value, "Support"),
    (Choice.OPPOSE.value, "Oppose"),
    (Choice.ABSTAIN.value, "Abstain (counts towards the quorum, not for or against)"),
]
INTEREST_HINT = (
    "For example: I volunteer there, a family member works there, I use the service. "
    "You will not vote on this bid, and your connection is recorded with the decision."
)


def _coerce_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OpenVoteForm(Form):
    days = SelectField(
        "How long the vote stays open",
        choices=WINDOW_CHOICES,
        default="3",
        validators=[InputRequired("Choose how long the vote stays open.")],
        description="At least 2 days and at most 7. It closes earlier once everyone has voted "
        "or the result can no longer change.",
    )


def _comment():
    return TextAreaField(
        "Comment",
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="Keep your comment to 2,000 characters or fewer.")],
        description="Questions or comments are shared with the partner, without your name, if the bid is deferred.",
    )


def _choice(label: str = "Your vote"):
    return RadioField(label, choices=CHOICES, validators=[InputRequired("Choose support, oppose or abstain.")])


class DeclarationForm(Form):
    answer = RadioField(
        "Do you have a connection with this organisation or project?",
        choices=ANSWERS,
        validators=[InputRequired("Choose yes or no.")],
    )
    interest = TextAreaField(
        "Describe the connection in a few words",
        filters=[strip],
        validators=[Length(max=1000, message="Keep this to 1,000 characters or fewer.")],
        description=INTEREST_HINT,
    )

    def validate_interest(self, field):
        if self.answer.data == "interest" and not field.data:
            raise ValidationError("Describe the connection in a few words.")

    def interest_text(self) -> str | None:
        return self.interest.data if self.answer.data == "interest" else None


class BallotForm(Form):
    choice = _choice()
    comment = _comment()

    def ballot(self) -> Ballot:
        return Ballot(Choice(self.choice.data), self.comment.data or "")


def _optional_choice(description: str):
    return RadioField("Their vote", choices=CHOICES, validators=[Optional()], description=description)


def _optional_ballot(form) -> Ballot | None:
    """The vote, when one was chosen: a declaration can be recorded on its own, the vote can follow."""
    return Ballot(Choice(form.choice.data), form.comment.data or "") if form.choice.data else None


class AssistedVoteForm(Form):
    member = SelectField("Member", coerce=_coerce_id, validators=[InputRequired("Choose the member.")])
    answer = RadioField(
        "Their answer: do they have a connection with this organisation or project?",
        choices=ANSWERS,
        validators=[Optional()],
        description="Ask them, unless they have already answered online.",
    )
    interest = TextAreaField(
        "Their connection, in a few words",
        filters=[strip],
        validators=[Length(max=1000, message="Keep this to 1,000 characters or fewer.")],
    )
    choice = _optional_choice("Leave empty for a member who has a connection.")
    comment = _comment()
    reason = TextAreaField(
        "Why the vote is recorded for them",
        filters=[strip],
        validators=[
            InputRequired("Give the reason the vote is recorded for them."),
            Length(max=500, message="Keep this to 500 characters or fewer."),
        ],
        description="For example: by telephone during the meeting, or needed help reading the bid. "
        "They are told by email and can change it until the vote closes.",
    )

    def validate_interest(self, field):
        if self.answer.data == "interest" and not field.data:
            raise ValidationError("Describe the connection in a few words.")

    def set_members(self, electors) -> None:
        self.member.choices = [(e.user_id, e.user.name) for e in electors]

    def answer_given(self) -> Answer | None:
        if not self.answer.data:
            return None
        return Answer(self.interest.data if self.answer.data == "interest" else None)

    def ballot(self) -> Ballot | None:
        return _optional_ballot(self)


class HandOverForm(Form):
    member = SelectField(
        "Who records votes for others",
        coerce=_coerce_id,
        validators=[InputRequired("Choose who records votes for others.")],
        description="The vice-chair, or a member the meeting chooses. Only members who have "
        "answered that they have no connection with this bid are listed.",
    )

    def set_members(self, electors) -> None:
        self.member.choices = [(e.user_id, e.user.name) for e in electors]


class AttendanceForm(Form):
    members = CheckboxesField(
        "Members present at the meeting", coerce=_coerce_id, validators=[InputRequired("Choose at least one member.")]
    )

    def set_members(self, electors) -> None:
        self.members.choices = [(e.user_id, e.user.name) for e in electors]


class MeetingVoteForm(DeclarationForm):
    member = SelectField("Member present", coerce=_coerce_id, validators=[InputRequired("Choose the member.")])
    choice = _optional_choice("Leave empty to record only their answer about connections: their vote can follow.")
    comment = _comment()

    def set_members(self, electors) -> None:
        self.member.choices = [(e.user_id, e.user.name) for e in electors]

    def ballot(self) -> Ballot | None:
        return _optional_ballot(self) if self.answer.data == "no_interest" else None


class WithdrawForm(Form):
    reason = TextAreaField(
        "Why are you withdrawing the bid?",
        filters=[strip],
        validators=[
            InputRequired("Say why the bid is withdrawn."),
            Length(max=500, message="Keep this to 500 characters or fewer."),
        ],
        description="For example: we need to change the project's dates. The members who were asked to vote see this.",
    )


class AnswersForm(Form):
    """One answer per question of a deferred listing; `answers_form` adds the fields."""

    count = 0

    def answers(self) -> list[str]:
        return [getattr(self, f"answer_{index}").data or "" for index in range(self.count)]


def answers_form(questions: list[str], earlier: list[str] | None) -> AnswersForm:
    """The form for these questions, filled with the answers already given (they can be changed)."""
    fields = {
        f"answer_{index}": TextAreaField(
            f"Question {index + 1}: {question}",
            filters=[strip],
            validators=[
                InputRequired("Answer this question."),
                Length(max=2000, message="Keep this to 2,000 characters or fewer."),
            ],
        )
        for index, question in enumerate(questions)
    }
    form_class = type("QuestionsAnswersForm", (AnswersForm,), {**fields, "count": len(questions)})
    return form_class(data={f"answer_{index}": answer for index, answer in enumerate(earlier or [])})


class SmallNumberField(IntegerField):
    """A whole number of a few digits (longer input is refused before any arithmetic)."""

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip()) > 6:
            self.data = None
            raise ValueError("Enter a whole number, like 3.")
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a whole number, like 3.") from error


def _number(label: str, low: int, high: int, description: str = ""):
    return SmallNumberField(
        label,
        description=description,
        validators=[
            InputRequired("Enter a whole number."),
            NumberRange(low, high, f"Enter a whole number from {low} to {high}."),
        ],
    )


class RuleSetForm(Form):
    quorum_minimum = _number("Fewest votes for a quorum", 1, 100)
    quorum_percent = _number("Share of eligible members who must vote (%)", 1, 100, "Rounded up.")
    require_lived_or_carer = BooleanField("At least one vote must come from a member with lived experience or a carer")
    staff_max_percent = _number("Most Trust staff votes can be of the votes cast (%)", 1, 100)
    support_minimum = _number("Fewest votes in support for approval", 1, 100)
    min_window_hours = _number("Shortest voting window (hours)", 24, 168)
    max_window_hours = _number("Longest voting window (hours)", 24, 720)
    max_deferrals = _number("Times a bid can be deferred before it is not approved", 0, 3)
    effective_from = PlainDateField(
        "In force from",
        validators=[InputRequired("Enter the date the rules start.")],
        description="Today or later. Votes already open keep the rules they opened with. "
        "To correct a version no vote has used yet, give its start date.",
    )

    def rule_set(self) -> RuleSet:
        return RuleSet(**{name: getattr(self, name).data for name in RuleSet.__dataclass_fields__})
