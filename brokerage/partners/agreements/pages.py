"""The coordinators' renewals list: agreements expiring or lapsed."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...core.values.timeutils import london_today
from ...core.web.pages import Panel, register_dashboard_panel
from ...extensions import db
from ..models import Partner, PartnershipAgreement
from .rules import AgreementStatus, StatusReport, partner_status


@dataclass(frozen=True)
class DueAgreement:
    partner: Partner
    report: StatusReport


def agreements_needing_attention(*, today: date) -> list[DueAgreement]:
    """Partners (not archived) whose agreement is expiring or lapsed, soonest date first."""
    partners = db.session.scalars(
        select(Partner)
        .join(PartnershipAgreement)
        .where(Partner.archived_at.is_(None), PartnershipAgreement.signed_on.is_not(None))
    )
    due = [DueAgreement(partner, partner_status(partner, today=today)) for partner in partners]
    due = [item for item in due if item.report.status in (AgreementStatus.EXPIRING, AgreementStatus.LAPSED)]
    return sorted(due, key=lambda item: (item.report.next_due, item.partner.name.casefold()))


def _coordinators_to_do(user, _viewer) -> dict | None:
    if not user.is_coordinator:
        return None
    due = agreements_needing_attention(today=london_today())
    return {"due": due} if due else None


register_dashboard_panel(Panel(order=20, template="partners/agreements/_due_panel.html", load=_coordinators_to_do))
