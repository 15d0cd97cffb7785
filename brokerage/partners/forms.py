"""What the partner stages' forms share: the length check, a normaliser's check by the field, the
interests to choose from and the localities' choices. Each form binds only its declared fields and
hands the service a plain value object, so extra posted fields do nothing."""

from wtforms.validators import Length, ValidationError

from ..core.input.forms import CheckboxesField
from ..core.values.postcodes import InvalidPostcode
from .vocabulary import INTERESTS


def length(limit: int):
    return Length(max=limit, message=f"Use at most {limit} characters.")


def check_with(normalise, field) -> None:
    if field.data:
        try:
            normalise(field.data)
        except (ValueError, InvalidPostcode) as error:
            raise ValidationError(str(error)) from error


INTEREST_CHOICES = list(INTERESTS.items())


class LocalityChoicesMixin:
    localities: CheckboxesField

    def set_locality_choices(self, localities) -> None:
        self.localities.choices = [(locality.id, locality.name) for locality in localities]
