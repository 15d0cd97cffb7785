"""The call for bids form (pounds in, pence out; the closing date in Europe/London) and the
form to close a call early."""

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...core.input.fields import PlainDateField, PoundsField, pounds, strip
from ...core.input.forms import Form
from .models import CallForBids
from .rules import CallDetails, category_words, clean_category, clean_district


def _length(limit: int):
    return Length(max=limit, message=f"Keep this to {limit:,} characters or fewer.")


class CallForm(Form):
    title = StringField(
        "Title of the call",
        filters=[strip],
        validators=[DataRequired("Enter a title for the call."), _length(200)],
        description="For example: Evening activities for young people in Dewsbury.",
    )
    wanted = TextAreaField(
        "What does the collective want partners to offer?",
        filters=[strip],
        validators=[DataRequired("Say what the collective wants partners to offer."), _length(5000)],
        description="The gap you have seen, and what would fill it.",
    )
    districts = StringField(
        "Postcode districts (optional)",
        filters=[strip],
        validators=[Optional(), _length(200)],
        description="The first half of a postcode, like HD3 or WF13. Separate several with spaces.",
    )
    category_code = HiddenField(filters=[strip])
    category_label = StringField(
        "Kind of activity (optional)",
        filters=[strip],
        validators=[Optional(), _length(120)],
        description="For example: sport, arts and crafts, walking.",
    )
    audience = StringField(
        "Who is it for? (optional)",
        filters=[strip],
        validators=[Optional(), _length(300)],
        description="For example: young people aged 13 to 19.",
    )
    upper = PoundsField(
        "Up to how much can a bid ask for, in pounds?",
        filters=[strip],
        validators=[DataRequired("Enter the most a bid may ask for.")],
        description="No more than the fund has available this financial year. For example 3,000.",
    )
    closes_on = PlainDateField(
        "Closing date",
        validators=[InputRequired("Enter the day the call closes.")],
        description="Bids can answer the call until the end of this day. Today or later.",
    )

    def details(self) -> CallDetails:
        return CallDetails(
            title=self.title.data or "",
            wanted=self.wanted.data or "",
            districts=self.districts.data or "",
            category_code=self.category_code.data or "",
            category_label=self.category_label.data or "",
            audience=self.audience.data or "",
            upper_pence=self.upper.pence,
            closes_on=self.closes_on.data,
        )


def prefilled(args) -> dict:
    """What a link from the gaps page fills in (?district=HD3&category=sport): only values that
    are a postcode district or a category code; anything else is ignored."""
    data: dict = {}
    districts = [district for district in (clean_district(value) for value in args.getlist("district")) if district]
    if districts:
        data["districts"] = " ".join(dict.fromkeys(districts))
    category = clean_category(args.get("category"))
    if category:
        data["category_code"] = category
        label = (args.get("category_label") or "").strip()
        data["category_label"] = label[:120] if label and label.isprintable() else category_words(category)
    return data


def form_data(call: CallForBids) -> dict:
    return {
        "title": call.title,
        "wanted": call.wanted,
        "districts": call.districts,
        "category_code": call.category_code,
        "category_label": call.category_label,
        "audience": call.audience,
        "upper": pounds(call.upper_pence),
        "closes_on": call.closes_on,
    }


class CloseCallForm(Form):
    reason = TextAreaField(
        "Why is the call closing early?",
        filters=[strip],
        validators=[DataRequired("Say why the call is closing early."), _length(1000)],
        description="Partners and members see this on the call.",
    )
