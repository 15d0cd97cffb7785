"""The mark's forms. The evidence and decision forms have fields per criterion (`c<id>_...`),
built for the scheme at hand, so each message sits next to its criterion's field."""

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ...core.input.fields import PlainDateField, strip
from ...core.input.forms import Between, Form, WholeNumberField
from ..forms import length
from .models import MarkApplication, MarkScheme
from .rules import LARGEST_MINIMUM, LONGEST_AWARD_MONTHS, LONGEST_TEXT
from .services import Assessment, Evidence

MONTHS_MESSAGE = f"Enter a number of months from 1 to {LONGEST_AWARD_MONTHS}."
MINIMUM_MESSAGE = f"Enter how many are needed: 1 or more (at most {LARGEST_MINIMUM:,})."


class SchemeDetailsForm(Form):
    """A scheme's name, what the mark means and how long an award lasts (set up, or edited)."""

    name = StringField(
        "Scheme name",
        filters=[strip],
        description="For example: Moving Mental Health Forward",
        validators=[DataRequired("Enter the scheme's name."), length(120)],
    )
    mark_text = TextAreaField(
        "What the mark means, in plain words",
        filters=[strip],
        description="Shown to the public next to the mark.",
        validators=[DataRequired("Say in plain words what the mark means."), length(LONGEST_TEXT)],
    )
    award_months = WholeNumberField(
        "How many months an award lasts",
        message=MONTHS_MESSAGE,
        validators=[InputRequired(MONTHS_MESSAGE), Between(1, LONGEST_AWARD_MONTHS, MONTHS_MESSAGE)],
    )


class SchemeForm(SchemeDetailsForm):
    locality = SelectField("Locality", coerce=int, validators=[InputRequired("Choose a locality.")])


class CriterionForm(Form):
    name = StringField(
        "What the criterion asks for",
        filters=[strip],
        description="For example: people with in-date Mental Health First Aid certificates",
        validators=[DataRequired("Enter what the criterion asks for."), length(200)],
    )
    minimum = WholeNumberField(
        "How many are needed",
        default=1,
        message=MINIMUM_MESSAGE,
        validators=[InputRequired(MINIMUM_MESSAGE), Between(1, LARGEST_MINIMUM, MINIMUM_MESSAGE)],
    )


def evidence_form(scheme: MarkScheme) -> Form:
    """One set of fields per criterion: what shows it is met, a reference and its dates."""

    class EvidenceForm(Form):
        def evidence(self) -> list[Evidence]:
            return [
                Evidence(
                    criterion.id,
                    self[f"c{criterion.id}_details"].data or "",
                    self[f"c{criterion.id}_reference"].data or "",
                    self[f"c{criterion.id}_issued_on"].data,
                    self[f"c{criterion.id}_expires_on"].data,
                )
                for criterion in scheme.current_criteria
            ]

    for criterion in scheme.current_criteria:
        prefix = f"c{criterion.id}_"
        setattr(
            EvidenceForm,
            prefix + "details",
            TextAreaField(
                "How you meet it",
                filters=[strip],
                description="Names, roles and training. No health information.",
                validators=[DataRequired("Say how you meet this: names, training, dates."), length(LONGEST_TEXT)],
            ),
        )
        setattr(
            EvidenceForm,
            prefix + "reference",
            StringField("Certificate reference", filters=[strip], validators=[length(120)]),
        )
        setattr(EvidenceForm, prefix + "issued_on", PlainDateField("Date issued", validators=[Optional()]))
        setattr(EvidenceForm, prefix + "expires_on", PlainDateField("Expiry date", validators=[Optional()]))
    return EvidenceForm()


def decision_form(application: MarkApplication) -> Form:
    """Met or not yet (with a note) per criterion, then an expiry date or what is missing."""

    class DecisionForm(Form):
        awarded_until = PlainDateField(
            "Award expires on", description="Needed when every criterion is met.", validators=[Optional()]
        )
        missing = TextAreaField(
            "What is missing",
            filters=[strip],
            validators=[length(LONGEST_TEXT)],
            description="Needed when a criterion is not yet met. The club will read it.",
        )

        def assessments(self) -> list[Assessment]:
            return [
                Assessment(
                    row.criterion_id,
                    self[f"c{row.criterion_id}_met"].data == "met",
                    self[f"c{row.criterion_id}_note"].data or "",
                )
                for row in application.evidence
            ]

    for row in application.evidence:
        prefix = f"c{row.criterion_id}_"
        setattr(
            DecisionForm,
            prefix + "met",
            RadioField(
                row.criterion.name,
                choices=[("met", "Met"), ("not_yet", "Not yet")],
                validators=[InputRequired("Say whether this criterion is met.")],
            ),
        )
        setattr(DecisionForm, prefix + "note", StringField("Note", filters=[strip], validators=[length(LONGEST_TEXT)]))
    return DecisionForm()
