"""What an impact report covers: one project (an activity), a partner's projects, a locality's
projects, or every project (who may see each: access.py)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import true

from ...core.data.models import Locality
from ...directory.listings.models import Activity
from ...errors import NotFound
from ...extensions import db
from ...partners.models import Partner

KINDS = ("project", "partner", "locality")


@dataclass(frozen=True)
class Scope:
    kind: str  # project, partner, locality or all
    id: int | None
    name: str
    where: Any  # a condition on Activity
    subject: Activity | Partner | Locality | None = None

    @property
    def funding_filter(self) -> dict | None:
        """The collectives' filter for this scope's bids (None: bids are not made per project)."""
        if self.kind == "project":
            return None
        return {"partner": {"partner_id": self.id}, "locality": {"locality_id": self.id}}.get(self.kind, {})


ALL = Scope(kind="all", id=None, name="All localities", where=true())


def scope_for(kind: str, scope_id: int) -> Scope:
    """The scope for a project, partner or locality id; NotFound for an unknown one."""
    model = {"project": Activity, "partner": Partner, "locality": Locality}.get(kind)
    subject = db.session.get(model, scope_id) if model is not None else None
    if isinstance(subject, Activity):
        return Scope(kind, subject.id, subject.title, Activity.id == subject.id, subject)
    if isinstance(subject, Partner):
        return Scope(kind, subject.id, subject.name, Activity.partner_id == subject.id, subject)
    if isinstance(subject, Locality):
        return Scope(kind, subject.id, subject.name, Activity.locality_id == subject.id, subject)
    raise NotFound()
