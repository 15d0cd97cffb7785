"""The listing form (a volunteer can complete it alone: plain questions, hints, examples) and
its conversion to ActivityDetails. Schedule rules live in schedules.Schedule."""

import math
import re
from datetime import date

from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from ...core.input.fields import EARLIEST_DATE, LATEST_DATE, PlainDateField, PlainTimeField, pounds_to_pence
from ...core.input.forms import Between, CheckboxesField, Form, WholeNumberField
from .access import Provider
from .models import Activity
from .occurrences import to_schedule
from .schedules import ORDINAL_NAMES, Schedule
from .services import ActivityDetails, FirstVisit, Venue
from .vocabulary import ACCESSIBILITY, COST_KINDS, JOIN_METHODS, NOISE_LEVELS, SUITABLE_FOR, WEEKDAYS

MAX_PRICE_PENCE = 100_000
AGE_MESSAGE = "Enter an age from 0 to 120."
PLACES_MESSAGE = "Enter a number from 1 to 10,000."
FREQUENCIES = [
    ("weekly", "Every week"),
    ("fortnightly", "Every other week"),
    ("monthly", "Once a month, on the same weekday (for example the second Monday)"),
    ("once", "Once only"),
]


def between(low: int, high: int, message: str) -> Between:
    """NumberRange without its float conversion, which fails with a 500 on a 400-digit number."""
    return Between(low, high, message)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def parse_dates(text: str) -> frozenset[date]:
    """'25/12/2026, 2027-01-01' -> dates. Raises ValueError with a message for the person."""
    found = set()
    for part in filter(None, (piece.strip() for piece in re.split(r"[,;\n]", text or ""))):
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", part)
        try:
            day = date(int(match[3]), int(match[2]), int(match[1])) if match else date.fromisoformat(part)
        except ValueError:
            raise ValueError(
                f"“{part[:20]}” is not a date. Write dates like 25/12/2026, separated by commas."
            ) from None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(
                f"“{part[:20]}” is too far off: enter dates between {EARLIEST_DATE.year} and {LATEST_DATE.year}."
            )
        found.add(day)
    return frozenset(found)


class ActivityForm(Form):
    provider = SelectField("Who runs it", validators=[InputRequired("Choose who runs the activity.")])
    title = StringField(
        "Name of the activity",
        filters=[strip],
        description="For example: Walking football",
        validators=[DataRequired("Enter the name of the activity."), Length(max=120)],
    )
    description = TextAreaField(
        "What happens",
        filters=[strip],
        description="Two or three sentences in plain words.",
        validators=[DataRequired("Describe the activity."), Length(max=3000)],
    )
    categories = CheckboxesField(
        "Categories",
        coerce=int,
        description="Tick every category that fits.",
        validators=[DataRequired("Choose at least one category.")],
    )
    venue_name = StringField(
        "Name of the venue",
        filters=[strip],
        description="For example: Oakwell Stadium",
        validators=[DataRequired("Enter the name of the venue."), Length(max=200)],
    )
    address_1 = StringField("Street address", filters=[strip], validators=[Optional(), Length(max=200)])
    city = StringField("Town", filters=[strip], validators=[Optional(), Length(max=100)])
    postcode = StringField(
        "Postcode",
        filters=[strip],
        description="For example: HD1 2QA",
        validators=[
            DataRequired("Enter the venue's postcode."),
            Length(max=10, message="Enter a postcode, like HD1 2QA."),
        ],
    )
    address_is_private = BooleanField("Do not show the street address publicly (for example, someone's home)")
    latitude = HiddenField()  # a position found on the map from the address, kept while the form is re-shown
    longitude = HiddenField()
    found_address = HiddenField(filters=[strip], validators=[Length(max=300)])
    use_position = BooleanField("Use this place on the map for the venue (instead of the middle of its postcode)")
    accessibility = CheckboxesField("The venue has", choices=list(ACCESSIBILITY.items()), validators=[Optional()])
    frequency = RadioField(
        "How often", choices=FREQUENCIES, default="weekly", validators=[InputRequired("Choose how often it meets.")]
    )
    start_date = PlainDateField(
        "First date",
        description="For example: 2026-07-01. Weekly and fortnightly sessions repeat on this day of the week.",
        validators=[InputRequired("Enter the first date.")],
    )
    start_time = PlainTimeField(
        "Start time", description="For example: 18:00", validators=[InputRequired("Enter the start time, like 18:00.")]
    )
    end_time = PlainTimeField(
        "End time", description="For example: 20:00", validators=[InputRequired("Enter the end time, like 20:00.")]
    )
    weekday = SelectField(
        "Monthly: day of the week",
        choices=[("", "Not monthly")] + [(str(number), name) for number, name in enumerate(WEEKDAYS)],
        validators=[Optional()],
    )
    week_of_month = SelectField(
        "Monthly: which week",
        choices=[("", "Not monthly")] + [(str(number), name.capitalize()) for number, name in ORDINAL_NAMES.items()],
        validators=[Optional()],
    )
    until = PlainDateField("Last date", description="Leave empty if it carries on.", validators=[Optional()])
    exceptions = StringField(
        "Dates with no session",
        filters=[strip],
        description="For example: 25/12/2026, 01/01/2027",
        validators=[Length(max=1000)],
    )
    cost_kind = RadioField(
        "Cost", choices=list(COST_KINDS.items()), default="free", validators=[InputRequired("Choose what it costs.")]
    )
    cost_amount = StringField("Price in pounds", filters=[strip], description="Only for a set price. For example: 3.50")
    cost_description = StringField(
        "More about the cost", filters=[strip], description="For example: includes tea", validators=[Length(max=200)]
    )
    min_age = WholeNumberField(
        "Youngest age", message=AGE_MESSAGE, validators=[Optional(), between(0, 120, AGE_MESSAGE)]
    )
    max_age = WholeNumberField("Oldest age", message=AGE_MESSAGE, validators=[Optional(), between(0, 120, AGE_MESSAGE)])
    capacity = WholeNumberField(
        "Number of places",
        message=PLACES_MESSAGE,
        description="Leave empty if there is no limit.",
        validators=[Optional(), between(1, 10_000, PLACES_MESSAGE)],
    )
    suitable_for = CheckboxesField(
        "Especially suitable for", choices=list(SUITABLE_FOR.items()), validators=[Optional()]
    )
    join_methods = CheckboxesField(
        "How to join", choices=list(JOIN_METHODS.items()), validators=[DataRequired("Choose at least one way to join.")]
    )
    what_to_expect = TextAreaField(
        "What to expect on a first visit",
        filters=[strip],
        description="Who will meet them, what happens first, how long it lasts.",
        validators=[Length(max=2000)],
    )
    meeting_point = StringField(
        "Where to meet", filters=[strip], description="For example: the main reception", validators=[Length(max=300)]
    )
    what_to_bring = StringField(
        "What to bring", filters=[strip], description="For example: trainers and water", validators=[Length(max=300)]
    )
    beginners_welcome = BooleanField("Beginners are welcome")
    bring_a_friend = BooleanField("People can bring a friend or a support worker")
    peer_buddy = BooleanField("A peer buddy can meet people on their first visit")
    quiet_space = BooleanField("There is a quiet space to take a break")
    noise_level = RadioField("How busy and noisy is it", choices=list(NOISE_LEVELS.items()), validators=[Optional()])
    contact_name = StringField("Contact name", filters=[strip], validators=[Length(max=120)])
    contact_phone = StringField("Contact phone", filters=[strip], validators=[Length(max=40)])
    contact_email = StringField(
        "Contact email",
        filters=[strip],
        validators=[Optional(), Email("Enter an email address like name@example.org."), Length(max=254)],
    )

    def set_choices(self, providers: list[Provider], category_choices: list[tuple[int, str]]) -> None:
        self.provider.choices = [(provider.key, provider.name) for provider in providers]
        self.categories.choices = category_choices

    def validate_exceptions(self, field) -> None:
        try:
            parse_dates(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_use_position(self, field) -> None:
        if field.data and self.position() is None:
            raise ValidationError("Find the venue on the map again, or untick this box.")

    def position(self) -> tuple[float, float] | None:
        """The position found on the map, when the person chose to use it."""
        if not self.use_position.data:
            return None
        try:
            latitude, longitude = float(self.latitude.data), float(self.longitude.data)
        except (TypeError, ValueError):
            return None
        valid = math.isfinite(latitude) and math.isfinite(longitude) and abs(latitude) <= 90 and abs(longitude) <= 180
        return (latitude, longitude) if valid else None

    def show_place(self, place) -> None:
        """Re-show the form with a place found on the map (ticked for the person to confirm), or
        with none (None: the search failed, so an earlier position no longer matches the address)."""
        self.latitude.data = f"{place.latitude:.6f}" if place else ""
        self.longitude.data = f"{place.longitude:.6f}" if place else ""
        self.found_address.data, self.use_position.data = (place.address[:300], True) if place else ("", False)

    def validate_cost_amount(self, field) -> None:
        if self.cost_kind.data == "price" and field.data:
            try:
                if pounds_to_pence(field.data) > MAX_PRICE_PENCE:
                    raise ValueError("Enter a price of no more than £1,000.")
            except ValueError as error:
                raise ValidationError(str(error)) from None

    def schedule(self) -> Schedule:
        """RuleViolation (naming the field) for invalid combinations."""
        monthly = self.frequency.data == "monthly"
        return Schedule(
            frequency=self.frequency.data,
            start_date=self.start_date.data,
            start_time=self.start_time.data,
            end_time=self.end_time.data,
            until=self.until.data,
            weekday=int(self.weekday.data) if monthly and self.weekday.data else None,
            week_of_month=int(self.week_of_month.data) if monthly and self.week_of_month.data else None,
            exceptions=parse_dates(self.exceptions.data),
        )

    def details(self) -> ActivityDetails:
        price = self.cost_kind.data == "price" and self.cost_amount.data
        return ActivityDetails(
            title=self.title.data,
            description=self.description.data,
            category_ids=tuple(self.categories.data),
            venue=Venue(
                name=self.venue_name.data,
                postcode=self.postcode.data,
                address_1=self.address_1.data,
                city=self.city.data,
                address_is_private=self.address_is_private.data,
                accessibility=tuple(self.accessibility.data),
                position=self.position(),
            ),
            schedule=self.schedule(),
            cost_kind=self.cost_kind.data,
            cost_amount=pounds_to_pence(self.cost_amount.data) if price else None,
            cost_description=self.cost_description.data,
            min_age=self.min_age.data,
            max_age=self.max_age.data,
            capacity=self.capacity.data,
            suitable_for=tuple(self.suitable_for.data),
            join_methods=tuple(self.join_methods.data),
            first_visit=FirstVisit(**{name: getattr(self, name).data for name in FirstVisit.__dataclass_fields__}),
            contact_name=self.contact_name.data,
            contact_phone=self.contact_phone.data,
            contact_email=self.contact_email.data,
        )


def form_data(activity: Activity) -> dict:
    """The form's values for an existing activity (for the edit page)."""
    location, schedule = activity.location, to_schedule(activity.schedules[0])
    assert location is not None  # an activity is saved with its venue (services.py)
    cost = activity.cost_options[0] if activity.cost_options else None
    contact = activity.contacts[0] if activity.contacts else None
    data = {name: getattr(activity, f"first_visit_{name}") for name in FirstVisit.__dataclass_fields__}
    if location.location_precision == "address":
        data.update(latitude=f"{location.latitude:.6f}", longitude=f"{location.longitude:.6f}", use_position=True)
    data.update(
        title=activity.title,
        description=activity.description,
        categories=[term.id for term in activity.categories],
        venue_name=location.name,
        address_1=location.address_1,
        city=location.city,
        postcode=location.postal_code,
        address_is_private=location.address_is_private,
        accessibility=location.accessibility,
        frequency=str(schedule.frequency),
        start_date=schedule.start_date,
        start_time=schedule.start_time,
        end_time=schedule.end_time,
        until=schedule.until,
        weekday="" if schedule.weekday is None else str(schedule.weekday),
        week_of_month="" if schedule.week_of_month is None else str(schedule.week_of_month),
        exceptions=", ".join(f"{day:%d/%m/%Y}" for day in sorted(schedule.exceptions)),
        cost_kind=cost.option if cost else "free",
        cost_amount=f"{cost.amount / 100:.2f}" if cost and cost.amount is not None else "",
        cost_description=cost.amount_description if cost else "",
        min_age=activity.min_age,
        max_age=activity.max_age,
        capacity=activity.capacity,
        suitable_for=activity.suitable_for,
        join_methods=activity.join_methods,
        contact_name=contact.name if contact else "",
        contact_phone=contact.phone if contact else "",
        contact_email=contact.email if contact else "",
    )
    return data
