"""The gaps page's filters: a GET form (nothing changes, so no CSRF token)."""

from ...core.input.forms import Form, PickerField
from .pages import PERIODS


class GapsFilterForm(Form):
    class Meta:
        csrf = False

    period = PickerField("Searches made in", "Choose this month or the last 12 months.", choices=list(PERIODS.items()))
    category = PickerField("Category", "Choose a category from the list.")

    def set_categories(self, categories: list[tuple[str, str]]) -> None:
        self.category.choices = [("", "Every category"), *categories]
