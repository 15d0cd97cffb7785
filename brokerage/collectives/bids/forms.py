"""Forms for bids: content (pounds in, pence out), match-funding lines, returning a bid.
Only the declared fields are read, so posting `status` or `partner_id` changes nothing."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ...core.input.fields import PlainDateField, PoundsField, pounds, strip
from ...core.input.forms import Between, Form, WholeNumberField
from ...core.web.filters import long_date, money
from ..calls.pages import CallRow
from .models import LineStatus
from .services import MAX_PARTICIPANTS, BidDetails, LineDetails

WHOLE_NUMBER = "Enter a whole number, like 20."


def _coerce_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class LocalityField(RadioField):
    def pre_validate(self, form):
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Choose one of the localities listed.")


class CallField(RadioField):
    def pre_validate(self, form):
        if self.data not in {value for value, _ in self.choices}:
            raise ValidationError("Choose one of the calls listed, or none.")


def call_choice(row: CallRow) -> tuple[int, str]:
    """A call as a choice on the bid form: what, where, up to how much and until when."""
    call = row.call
    return (
        call.id,
        f"{call.title} ({call.collective.locality.name}, up to {money(call.upper_pence)}, "
        f"closes {long_date(call.closes_on)})",
    )


def _text(label: str, required: str | None, limit: int, description: str = "", area: bool = True):
    validators = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=limit, message=f"Keep this to {limit:,} characters or fewer."))
    field = TextAreaField if area else StringField
    return field(label, filters=[strip], validators=validators, description=description)


class BidForm(Form):
    title = _text("Project title", "Enter the project title.", 200, area=False)
    summary = _text(
        "Summary of the project", "Enter a summary of the project.", 5000, "What will happen, where and how often."
    )
    easy_read_summary = _text(
        "Easy-read summary", None, 5000, "Short sentences and everyday words, for members who prefer easy read."
    )
    who_for = _text(
        "Who is it for?",
        "Say who the project is for.",
        3000,
        "For example: adults in Barnsley living with dementia, and their carers.",
    )
    how_reached = _text(
        "How will you reach them?",
        "Say how you will reach them.",
        3000,
        "For example: referrals from the memory clinic, posters in GP surgeries.",
    )
    locality_id = LocalityField("Locality", coerce=_coerce_id, validators=[InputRequired("Choose the locality.")])
    call_id = CallField(
        "Does this bid answer a call for bids?",
        coerce=_coerce_id,
        validators=[Optional()],
        description="Collectives ask for bids to fill gaps they have seen. A bid that answers a call "
        "asks for no more than the call offers.",
    )
    start_on = PlainDateField("Start date", validators=[InputRequired("Enter the date the project starts.")])
    end_on = PlainDateField(
        "End date", validators=[InputRequired("Enter the date the project ends.")], description="After the start date."
    )
    expected_participants = WholeNumberField(
        "How many people do you expect to take part?",
        message=WHOLE_NUMBER,
        validators=[
            InputRequired("Enter the number of people you expect to take part."),
            Between(1, MAX_PARTICIPANTS, f"Enter a number from 1 to {MAX_PARTICIPANTS:,}."),
        ],
    )
    total_cost = PoundsField(
        "Total project cost, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the total project cost.")],
        description="Everything the project costs, however it is paid for. For example 12,000.",
    )
    requested = PoundsField(
        "Amount requested from the collective, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the amount requested.")],
        description="For example 5,000. The match award may be less: see the figures below.",
    )

    def set_localities(self, localities) -> None:
        self.locality_id.choices = [(locality.id, locality.name) for locality in localities]
        if len(localities) == 1 and self.locality_id.data is None:
            self.locality_id.data = localities[0].id

    def set_calls(self, choices: list[tuple[int, str]]) -> None:
        """The calls the bid may answer (open calls of the partner's localities, and the one it answers)."""
        self.call_id.choices = [(None, "No, it does not answer a call")] + choices

    def details(self) -> BidDetails:
        return BidDetails(
            call_id=self.call_id.data,
            title=self.title.data or "",
            summary=self.summary.data or "",
            easy_read_summary=self.easy_read_summary.data or "",
            who_for=self.who_for.data or "",
            how_reached=self.how_reached.data or "",
            locality_id=self.locality_id.data,
            start_on=self.start_on.data,
            end_on=self.end_on.data,
            expected_participants=self.expected_participants.data,
            total_cost_pence=self.total_cost.pence,
            requested_pence=self.requested.pence,
        )


def form_data(bid) -> dict:
    return {
        "title": bid.title,
        "summary": bid.summary,
        "easy_read_summary": bid.easy_read_summary,
        "who_for": bid.who_for,
        "how_reached": bid.how_reached,
        "locality_id": bid.locality_id,
        "start_on": bid.start_on,
        "end_on": bid.end_on,
        "expected_participants": bid.expected_participants,
        "total_cost": pounds(bid.total_cost_pence),
        "requested": pounds(bid.requested_pence),
        "call_id": bid.call_id,
    }


class LineForm(Form):
    source = _text(
        "Where does this money come from?",
        "Say where this money comes from.",
        200,
        "For example: Barnsley FC Community Trust, or our own fundraising.",
        area=False,
    )
    amount = PoundsField("Amount, in pounds", filters=[strip], validators=[DataRequired("Enter the amount.")])
    status = RadioField(
        "How sure is this money?",
        choices=[
            (LineStatus.PLEDGED.value, "Pledged: promised, not yet confirmed in writing"),
            (LineStatus.CONFIRMED.value, "Confirmed: confirmed in writing"),
            (LineStatus.RECEIVED.value, "Received: already in your account"),
        ],
        validators=[InputRequired("Choose whether the money is pledged, confirmed or received.")],
        description="Only confirmed or received money is matched.",
    )
    evidence = _text("Evidence", None, 500, "For example: award letter dated 3 March 2026.", area=False)

    def details(self) -> LineDetails:
        return LineDetails(
            source=self.source.data or "",
            amount_pence=self.amount.pence,
            status=self.status.data or "",
            evidence=self.evidence.data or "",
        )


class ReturnForm(Form):
    message = _text(
        "What needs to change?",
        "Tell the partner what needs to change.",
        2000,
        "The partner sees this message on their bid.",
    )


class MatchRuleForm(Form):
    ratio_numerator = WholeNumberField(
        "Pounds of match",
        message=WHOLE_NUMBER,
        validators=[
            InputRequired("Enter the pounds of match."),
            Between(0, 100, "Enter a whole number from 0 to 100."),
        ],
        description="For 1:1, enter 1 here and 1 below.",
    )
    ratio_denominator = WholeNumberField(
        "For every this many pounds of confirmed partner money",
        message=WHOLE_NUMBER,
        validators=[
            InputRequired("Enter the pounds of partner money."),
            Between(1, 100, "Enter a whole number from 1 to 100."),
        ],
    )
    cap = PoundsField(
        "Most the collective awards to one bid, in pounds",
        filters=[strip],
        validators=[DataRequired("Enter the most the collective awards to one bid.")],
    )
    effective_from = PlainDateField(
        "In force from",
        validators=[InputRequired("Enter the day the rule starts.")],
        description="Today or later. Bids are worked out with the rule in force that day. "
        "To correct a version no vote has used yet, give its start date.",
    )
