"""What the coordinators' queue of applications shows (reads only)."""

from sqlalchemy import select

from ...core.data.models import Locality
from ...extensions import db
from .models import PartnerApplication
from .rules import PENDING

RECENT_DECISIONS = 20


def waiting() -> list[PartnerApplication]:
    """Applications not yet decided, oldest first (the longest waiting is answered first)."""
    return list(
        db.session.scalars(
            select(PartnerApplication)
            .where(PartnerApplication.state == PENDING)
            .order_by(PartnerApplication.created_at, PartnerApplication.id)
        )
    )


def recently_decided() -> list[PartnerApplication]:
    return list(
        db.session.scalars(
            select(PartnerApplication)
            .where(PartnerApplication.state != PENDING)
            .order_by(PartnerApplication.decided_at.desc())
            .limit(RECENT_DECISIONS)
        )
    )


def locality_names(application: PartnerApplication) -> list[str]:
    ids = [int(i) for i in application.locality_ids or []]
    return list(db.session.scalars(select(Locality.name).where(Locality.id.in_(ids or [-1])).order_by(Locality.name)))
