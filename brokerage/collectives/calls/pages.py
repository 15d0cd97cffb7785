"""What the call pages and the starting page show (reads only).

The call's page also shows how the call is being answered (bids, decisions, money), which only
later stages know: a later stage registers its part here (`register_call_panel`) when its views
load, so that this stage never imports the stages above it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...core.values.timeutils import london_today
from ...core.web.pages import Panel, register_dashboard_panel
from ...extensions import db
from ...partners.models import Partner
from ..models import Collective
from . import access
from .models import CallForBids
from .rules import CallState
from .services import can_change, state_of

CallPanel = Callable[..., dict]
_CALL_PANELS: list[CallPanel] = []


def register_call_panel(panel: CallPanel) -> None:
    """A later stage's part of the call's page: called with viewer, call and day; returns template values."""
    if panel not in _CALL_PANELS:
        _CALL_PANELS.append(panel)


def call_panels(**subject) -> dict:
    context: dict = {}
    for panel in _CALL_PANELS:
        context.update(panel(**subject))
    return context


@dataclass(frozen=True)
class CallRow:
    call: CallForBids
    state: CallState

    @property
    def is_open(self) -> bool:
        return self.state is CallState.OPEN


def _rows(query, day: date) -> list[CallRow]:
    return [CallRow(call, state_of(call, day)) for call in db.session.scalars(query)]


def open_calls(*, day: date, locality_ids: set[int] | None = None) -> list[CallRow]:
    """Calls open on `day` (in these localities, when given), closing soonest first."""
    query = (
        select(CallForBids).join(Collective).where(CallForBids.closed_early_at.is_(None), CallForBids.closes_on >= day)
    )
    if locality_ids is not None:
        query = query.where(Collective.locality_id.in_(locality_ids or {-1}))
    return _rows(query.order_by(CallForBids.closes_on, CallForBids.id), day)


def closed_calls(*, day: date, limit: int = 30) -> list[CallRow]:
    """The calls closed most recently (by their closing day), newest first."""
    query = (
        select(CallForBids)
        .where((CallForBids.closed_early_at.is_not(None)) | (CallForBids.closes_on < day))
        .order_by(CallForBids.closes_on.desc(), CallForBids.id.desc())
        .limit(limit)
    )
    return _rows(query, day)


@dataclass(frozen=True)
class CallPage:
    row: CallRow
    can_issue: bool
    can_change: bool
    partners: list[Partner]  # the viewer's partners that may answer it with a bid


def call_page(*, viewer: User, call: CallForBids, day: date) -> CallPage:
    row = CallRow(call, state_of(call, day))
    issuer = access.can_issue(viewer, call.collective, day)
    return CallPage(
        row=row,
        can_issue=issuer,
        can_change=issuer and can_change(call, day),
        partners=access.answering_partners(viewer, call) if row.is_open else [],
    )


def _dashboard(_subject, viewer: User) -> dict | None:
    """Partner contacts and champions: the open calls in their localities."""
    if not viewer.has_any_role(access.ANSWERERS):
        return None
    rows = open_calls(day=london_today(), locality_ids=access.localities_of(viewer))
    return {"calls": rows} if rows else None


register_dashboard_panel(Panel(order=15, template="collectives/calls/_dashboard_panel.html", load=_dashboard))
