"""Whether the gaps a collective named are being filled: for each call for bids, the bids that
answered it (once submitted), where each is now, the collective's decision, and the money
awarded and paid. Shown on the locality's report and on the call's page (reads only)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...core.data.models import Locality
from ...extensions import db
from ..bids.models import Bid
from ..calls.models import CallForBids
from ..calls.rules import CallState
from ..calls.services import state_of
from ..grants.payments import paid_by_commitment
from ..models import Collective
from ..voting.models import Award, Poll, PollStatus
from ..voting.rules import Outcome
from .pages import pounds, year_window


@dataclass(frozen=True)
class CallBid:
    bid: Bid
    decision: Outcome | None  # the latest decision of the collective's votes on it (None before one)
    awarded_pence: int
    paid_pence: int


@dataclass(frozen=True)
class CallProgress:
    call: CallForBids
    state: CallState
    bids: list[CallBid]

    @property
    def approved(self) -> int:
        return sum(1 for row in self.bids if row.decision is Outcome.APPROVED)

    @property
    def awarded_pence(self) -> int:
        return sum(row.awarded_pence for row in self.bids)

    @property
    def paid_pence(self) -> int:
        return sum(row.paid_pence for row in self.bids)


def _decisions(bid_ids: list[int]) -> dict[int, Outcome]:
    """The outcome of each bid's latest closed vote."""
    decided: dict[int, Outcome] = {}
    rows = db.session.execute(
        select(Poll.bid_id, Poll.outcome)
        .where(Poll.bid_id.in_(bid_ids), Poll.status == PollStatus.CLOSED.value)
        .order_by(Poll.closed_at, Poll.id)
    )
    for bid_id, outcome in rows:
        decided[bid_id] = Outcome(outcome)
    return decided


def progress_of(calls: list[CallForBids], day: date) -> list[CallProgress]:
    """Each call with the submitted bids answering it, oldest submission first."""
    bids = list(
        db.session.scalars(
            select(Bid)
            .where(Bid.call_id.in_([call.id for call in calls] or [-1]), Bid.submitted_at.is_not(None))
            .order_by(Bid.submitted_at, Bid.id)
        )
    )
    bid_ids = [bid.id for bid in bids]
    decisions = _decisions(bid_ids) if bid_ids else {}
    awards = {
        award.bid_id: award for award in db.session.scalars(select(Award).where(Award.bid_id.in_(bid_ids or [-1])))
    }
    paid = paid_by_commitment([award.commitment_entry_id for award in awards.values()])
    rows: dict[int, list[CallBid]] = {}
    for bid in bids:
        award = awards.get(bid.id)
        rows.setdefault(bid.call_id or 0, []).append(
            CallBid(
                bid=bid,
                decision=decisions.get(bid.id),
                awarded_pence=award.amount_pence if award else 0,
                paid_pence=paid.get(award.commitment_entry_id, 0) if award else 0,
            )
        )
    return [CallProgress(call=call, state=state_of(call, day), bids=rows.get(call.id, [])) for call in calls]


def call_progress(call: CallForBids, day: date) -> CallProgress:
    return progress_of([call], day)[0]


def locality_calls(*, locality: Locality, start_year: int, day: date) -> list[CallProgress]:
    """The calls the locality's collective issued in the financial year, newest first."""
    window = year_window(start_year)
    calls = list(
        db.session.scalars(
            select(CallForBids)
            .join(Collective)
            .where(
                Collective.locality_id == locality.id,
                CallForBids.created_at >= window[0],
                CallForBids.created_at < window[1],
            )
            .order_by(CallForBids.created_at.desc(), CallForBids.id.desc())
        )
    )
    return progress_of(calls, day)


def csv_rows(calls: list[CallProgress]) -> list[list]:
    """The calls for the report's CSV: one row per bid answering each call (or one for a call none answered)."""
    rows: list[list] = [
        [],
        ["Calls for bids", "Bid", "Partner", "Where it is now", "Decision", "Awarded (pounds)", "Paid (pounds)"],
    ]
    for progress in calls:
        rows.extend(
            [
                progress.call.title,
                row.bid.title,
                row.bid.partner.name,
                row.bid.state.label,
                row.decision.label if row.decision else "Not decided yet",
                pounds(row.awarded_pence),
                pounds(row.paid_pence),
            ]
            for row in progress.bids
        )
        if not progress.bids:
            rows.append([progress.call.title, "No bid yet"])
    return rows
