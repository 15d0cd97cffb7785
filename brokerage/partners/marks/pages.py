"""What the mark's pages show (reads only), the partner page's panel, and which partners hold the
mark on a day (for the directory's pages, filter and open data)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...core.data.models import Locality
from ...core.values.timeutils import london_today
from ...extensions import db
from ..models import Partner
from ..page import PartnerPanel, register_partner_panel
from .access import may_apply_for
from .models import MarkApplication, MarkScheme
from .rules import AWARDED, EXPIRING_WITHIN_DAYS, SUBMITTED, status


def marked_partner_ids(today):
    """A select of the partners holding the mark on `today` (a date or a bound parameter)."""
    return select(MarkApplication.partner_id).where(
        MarkApplication.state == AWARDED, MarkApplication.valid_until >= today
    )


def current_mark(partner_id: int, today: date) -> MarkScheme | None:
    """The scheme whose mark the partner holds today, if any."""
    return db.session.scalars(
        select(MarkScheme)
        .join(MarkApplication, MarkApplication.scheme_id == MarkScheme.id)
        .where(
            MarkApplication.partner_id == partner_id,
            MarkApplication.state == AWARDED,
            MarkApplication.valid_until >= today,
        )
    ).first()


def schemes() -> list[tuple[MarkScheme, str]]:
    return list(
        db.session.execute(select(MarkScheme, Locality.name).join(Locality).order_by(Locality.name)).tuples().all()
    )


def localities_without_scheme() -> list[Locality]:
    return list(
        db.session.scalars(
            select(Locality).where(Locality.id.not_in(select(MarkScheme.locality_id))).order_by(Locality.name)
        )
    )


def waiting() -> list[tuple[MarkApplication, str]]:
    return list(
        db.session.execute(
            select(MarkApplication, Partner.name)
            .join(Partner)
            .where(MarkApplication.state == SUBMITTED)
            .order_by(MarkApplication.submitted_at)
        )
        .tuples()
        .all()
    )


@dataclass(frozen=True)
class Expiring:
    """An award or a certificate behind it that ends soon (or has ended: the mark is suspended)."""

    partner_id: int
    partner: str
    what: str
    on: date


def expiring(today: date, partner_id: int | None = None) -> list[Expiring]:
    """Awards and certificates of current awards ending within 60 days (or already ended, which
    suspends the mark), soonest first."""
    until = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    awards = (
        select(MarkApplication, Partner.name)
        .join(Partner)
        .where(MarkApplication.state == AWARDED, MarkApplication.awarded_until >= today)
    )
    if partner_id is not None:
        awards = awards.where(MarkApplication.partner_id == partner_id)
    rows = []
    for application, name in db.session.execute(awards):
        if _superseded(application):
            continue
        if application.awarded_until <= until:
            rows.append(
                Expiring(
                    application.partner_id, name, f"The {application.scheme.name} award", application.awarded_until
                )
            )
        rows += [
            Expiring(
                application.partner_id,
                name,
                f"{row.criterion.name} ({row.reference or 'no reference'})",
                row.expires_on,
            )
            for row in application.evidence
            if row.expires_on is not None and row.expires_on <= until
        ]
    return sorted(rows, key=lambda row: (row.on, row.partner))


def _superseded(application: MarkApplication) -> bool:
    """A later award for the same partner replaces this one (a renewal)."""
    return (
        db.session.scalar(
            select(MarkApplication.id)
            .where(
                MarkApplication.partner_id == application.partner_id,
                MarkApplication.state == AWARDED,
                MarkApplication.id > application.id,
            )
            .limit(1)
        )
        is not None
    )


def partner_applications(partner_id: int) -> list[MarkApplication]:
    return list(
        db.session.scalars(
            select(MarkApplication).where(MarkApplication.partner_id == partner_id).order_by(MarkApplication.id.desc())
        )
    )


def latest_award(partner_id: int) -> MarkApplication | None:
    return db.session.scalars(
        select(MarkApplication)
        .where(MarkApplication.partner_id == partner_id, MarkApplication.state == AWARDED)
        .order_by(MarkApplication.id.desc())
    ).first()


def mark_status(partner_id: int, today: date) -> str:
    """'marked', 'suspended' or 'none' for the partner's latest award."""
    award = latest_award(partner_id)
    return "none" if award is None else status(award.state, award.valid_until, today)


def _partner_panel(partner: Partner, viewer: User) -> dict | None:
    today = london_today()
    scheme = current_mark(partner.id, today)
    may_apply = not partner.is_archived and may_apply_for(viewer, partner.id)
    if scheme is None and not may_apply:
        return None
    return {
        "partner": partner,
        "scheme": scheme,
        "may_apply": may_apply,
        "status": mark_status(partner.id, today),
        "expiring": expiring(today, partner.id) if may_apply else [],
    }


register_partner_panel(PartnerPanel(order=15, template="partners/marks/_partner_panel.html", load=_partner_panel))
