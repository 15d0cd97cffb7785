"""The agreement form: its dates typed as YYYY-MM-DD, its DBS arrangements and notes."""

from datetime import date

from wtforms import TextAreaField
from wtforms.validators import Optional

from ...core.input.fields import PlainDateField, strip
from ...core.input.forms import Form
from ..forms import length
from .rules import AgreementTerms


class UKDateField(PlainDateField):
    """A date typed as YYYY-MM-DD (the browser's date picker sends that), between 1990 and 2100."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, earliest=date(1990, 1, 1), message="Enter a real date, like 2026-03-31.", **kwargs)


class AgreementForm(Form):
    signed_on = UKDateField(
        "Date signed", validators=[Optional()], description="Leave blank while the agreement is still being prepared."
    )
    expires_on = UKDateField("Agreement expires on", validators=[Optional()])
    insurance_expires_on = UKDateField("Public liability insurance expires on", validators=[Optional()])
    safeguarding_reviewed_on = UKDateField(
        "Safeguarding policy last reviewed on", validators=[Optional()], description="Policies are reviewed every year."
    )
    dbs_arrangements = TextAreaField(
        "DBS arrangements",
        filters=[strip],
        validators=[length(2000)],
        description="Who holds DBS checks, at what level, and who checks them.",
    )
    notes = TextAreaField("Notes", filters=[strip], validators=[length(5000)])

    def terms(self) -> AgreementTerms:
        return AgreementTerms(
            signed_on=self.signed_on.data,
            expires_on=self.expires_on.data,
            safeguarding_reviewed_on=self.safeguarding_reviewed_on.data,
            insurance_expires_on=self.insurance_expires_on.data,
            dbs_arrangements=self.dbs_arrangements.data or "",
            notes=self.notes.data or "",
        )
