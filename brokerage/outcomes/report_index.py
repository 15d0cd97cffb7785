"""What the coordinators' report index offers: every locality, the partners that run projects,
and the projects that have wellbeing measures or stories."""
from dataclasses import dataclass

from sqlalchemy import or_, select

from ..core.models import Locality
from ..directory.listings.models import Activity
from ..extensions import db
from ..partners.models import Partner
from .models import OutcomeParticipant
from .story_models import Story


@dataclass(frozen=True)
class ReportChoices:
    localities: list[Locality]
    partners: list[Partner]
    projects: list[Activity]


def report_choices() -> ReportChoices:
    with_outcomes = or_(Activity.id.in_(select(OutcomeParticipant.activity_id)),
                        Activity.id.in_(select(Story.activity_id)))
    return ReportChoices(
        localities=list(db.session.scalars(select(Locality).order_by(Locality.name))),
        partners=list(db.session.scalars(select(Partner).where(Partner.id.in_(select(Activity.partner_id)))
                                         .order_by(Partner.name))),
        projects=list(db.session.scalars(select(Activity).where(with_outcomes).order_by(Activity.title))))
