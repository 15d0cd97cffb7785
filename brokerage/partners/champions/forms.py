"""The champion profile form: localities, interests and an introduction; coordinators also record
whether the champion is a service user or Trust staff."""

from wtforms import BooleanField, TextAreaField
from wtforms.validators import Optional

from ...core.input.fields import strip
from ...core.input.forms import CheckboxesField, Form
from ..forms import INTEREST_CHOICES, LocalityChoicesMixin, length
from .services import ChampionDetails


class ChampionProfileForm(LocalityChoicesMixin, Form):
    localities = CheckboxesField("Localities", coerce=int, validators=[Optional()])
    interests = CheckboxesField("Interests", choices=INTEREST_CHOICES, validators=[Optional()])
    about = TextAreaField(
        "About you",
        filters=[strip],
        validators=[length(2000)],
        description="What you enjoy and how you like to help. Partners see this.",
    )

    def details(self) -> ChampionDetails:
        return ChampionDetails(
            locality_ids=list(self.localities.data or []),
            interests=list(self.interests.data or []),
            about=self.about.data or "",
        )


class CoordinatorChampionForm(ChampionProfileForm):
    is_service_user = BooleanField("Uses or has used the Trust's services")
    is_staff = BooleanField("Works for the Trust")
