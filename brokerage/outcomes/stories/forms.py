"""The story form: what the reporter wrote down, and what the storyteller agreed to."""

from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...core.input.fields import PlainDateField, strip
from ...core.input.forms import Form
from .models import CONSENTS
from .services import LIMITS, StoryDetails

NO_NAMES_HINT = (
    "Do not include the storyteller's name or anything that could identify them or other people: "
    "addresses, workplaces, diagnoses, dates of birth. Use “a member of the group” instead."
)


def _length(name: str) -> Length:
    return Length(max=LIMITS[name], message=f"Use {LIMITS[name]:,} characters or fewer.")


class StoryForm(Form):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[InputRequired("Enter a title for the story."), _length("title")],
        description="A few words, like “Finding my voice again”.",
    )
    text = TextAreaField(
        "The story",
        filters=[strip],
        validators=[InputRequired("Enter the story."), _length("text")],
        description=NO_NAMES_HINT,
    )
    media_url = StringField(
        "Link to audio or video",
        filters=[strip],
        validators=[_length("media_url")],
        description="A web address starting with https://, where the recording is kept.",
    )
    reporter = StringField(
        "Community reporter",
        filters=[strip],
        validators=[
            InputRequired("Enter the name of the community reporter who collected the story."),
            _length("reporter"),
        ],
        description="The person who collected the story. Shown only to people who run the "
        "project and in internal reports.",
    )
    told_on = PlainDateField(
        "Date the story was told",
        description="For example, 2026-03-27.",
        validators=[InputRequired("Enter the date the story was told.")],
    )
    consent = RadioField(
        "What did the storyteller agree to?",
        choices=list(CONSENTS.items()),
        validators=[InputRequired("Choose what the storyteller agreed to.")],
        description="Published stories appear on the activity's public page, the partner's "
        "page and the yearly impact page. You can withdraw a story at any time.",
    )

    def details(self) -> StoryDetails:
        return StoryDetails(
            title=self.title.data or "",
            text=self.text.data or "",
            media_url=self.media_url.data or "",
            reporter=self.reporter.data or "",
            told_on=self.told_on.data,
            consent=self.consent.data,
        )
