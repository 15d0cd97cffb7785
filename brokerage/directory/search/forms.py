"""The public search form (GET, no CSRF: results are shareable links) and its conversion to a
SearchQuery. Values that are not among the choices are reported by their field."""

import math

from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from ...core.input.forms import CheckboxesField, Form, WholeNumberField
from ..listings.forms import AGE_MESSAGE, between
from ..listings.vocabulary import ACCESSIBILITY, JOIN_METHODS, PARTS_OF_DAY, SUITABLE_FOR, WEEKDAYS
from .matching import BEST, SORTS
from .pages import SearchQuery

DEFAULT_DISTANCE = 5.0
NO_PAGE_MESSAGE = "That page does not exist."


def strip(value):
    return value.strip() if isinstance(value, str) else value


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField("What would you like to do?", filters=[strip], description="For example: art, football, singing")
    postcode = StringField("Postcode", filters=[strip], description="A full postcode like HD1 2QA, or the first part")
    distance = StringField("Distance in miles", filters=[strip], default="5")
    category = SelectField("Category", choices=[("", "Any category")], default="")
    locality = SelectField("Area", choices=[("", "Anywhere")], default="")
    day = CheckboxesField("Days", coerce=int, choices=list(enumerate(WEEKDAYS)), validators=[Optional()])
    time = CheckboxesField("Time of day", choices=list(PARTS_OF_DAY.items()), validators=[Optional()])
    this_week = BooleanField("Only activities with a session in the next 7 days")
    free = BooleanField("Only free activities")
    mark = BooleanField("Only mental-health-friendly clubs")
    age = WholeNumberField("Your age", message=AGE_MESSAGE, validators=[Optional(), between(0, 120, AGE_MESSAGE)])
    suitable = CheckboxesField("Especially suitable for", choices=list(SUITABLE_FOR.items()), validators=[Optional()])
    join = CheckboxesField("How to join", choices=list(JOIN_METHODS.items()), validators=[Optional()])
    access = CheckboxesField("The venue must have", choices=list(ACCESSIBILITY.items()), validators=[Optional()])
    sort = RadioField(
        "Sort by",
        choices=list(SORTS.items()),
        default=BEST,
        validators=[Optional()],
        description="Best match puts activities named after your words first",
    )
    page = WholeNumberField(
        "Page", default=1, message=NO_PAGE_MESSAGE, validators=[Optional(), between(1, 500, NO_PAGE_MESSAGE)]
    )

    def set_choices(self, categories: list[tuple[str, str]], localities: list[tuple[str, str]]) -> None:
        self.category.choices = [("", "Any category"), *categories]
        self.locality.choices = [("", "Anywhere"), *localities]

    def validate_distance(self, field) -> None:
        try:
            miles = float(field.data or DEFAULT_DISTANCE)
        except ValueError:
            raise ValidationError("Enter a distance in miles, like 5.") from None
        if not math.isfinite(miles):
            raise ValidationError("Enter a distance in miles, like 5.")

    def query(self) -> SearchQuery:
        return SearchQuery(
            q=self.q.data or "",
            postcode=self.postcode.data or "",
            distance=float(self.distance.data or DEFAULT_DISTANCE),
            category=(self.category.data,) if self.category.data else (),
            locality=self.locality.data or "",
            day=tuple(self.day.data or ()),
            time=tuple(self.time.data or ()),
            this_week=self.this_week.data,
            free=self.free.data,
            mark=self.mark.data,
            age=self.age.data,
            suitable=tuple(self.suitable.data or ()),
            join=tuple(self.join.data or ()),
            access=tuple(self.access.data or ()),
            page=self.page.data or 1,
            sort=self.sort.data or BEST,
        )
