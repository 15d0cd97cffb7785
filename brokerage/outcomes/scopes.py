"""What an impact report covers: one project (an activity), a partner's projects, a locality's
projects, or every project; and who may see each (report_access)."""
from dataclasses import dataclass
from typing import Any

from sqlalchemy import true

from ..accounts.models import User
from ..core.models import Locality
from ..directory.listings.models import Activity
from ..errors import NotFound, PermissionDenied
from ..extensions import db
from ..partners.models import Partner
from ..partners.permissions import can_edit_partner
from .story_access import can_manage_stories

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
    if subject is None:
        raise NotFound()
    if kind == "project":
        return Scope(kind, subject.id, subject.title, Activity.id == subject.id, subject)
    if kind == "partner":
        return Scope(kind, subject.id, subject.name, Activity.partner_id == subject.id, subject)
    return Scope(kind, subject.id, subject.name, Activity.locality_id == subject.id, subject)


def can_see_report(user: User | None, scope: Scope) -> bool:
    """Coordinators see every report; the people who run a partner's or a project's stories
    (story_access.py) see that partner's or project's report; nobody else."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_coordinator:
        return True
    if scope.kind == "project":
        return can_manage_stories(user, scope.subject)
    if scope.kind == "partner":
        return can_edit_partner(user, scope.subject)
    return False


def require_report(user: User | None, scope: Scope) -> None:
    if not can_see_report(user, scope):
        raise PermissionDenied()
