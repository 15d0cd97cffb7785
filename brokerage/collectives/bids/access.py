"""Who may see and act on bids, and the lists of bids each person sees.

- A partner's own people (partners.access.acts_for_partner) and coordinators see all of
  that partner's bids, drafts included, and act on them.
- Active members of the collective of the bid's locality read its bids once submitted;
  members of other collectives, champions and everyone else do not.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...core.data.models import Locality
from ...core.values.timeutils import london_today
from ...errors import NotFound, PermissionDenied
from ...extensions import db
from ...partners.access import acts_for_partner, partner_ids_for_contact
from ...partners.agreements.rules import AgreementStatus, StatusReport, partner_status
from ...partners.models import Partner
from ...partners.page import PartnerPanel, register_partner_panel
from ..models import Collective, Membership
from . import lifecycle
from .lifecycle import BidStatus, Who
from .models import Bid, BidTransition

AGREEMENT_OK = frozenset({AgreementStatus.ACTIVE, AgreementStatus.EXPIRING})
SCREENING_STATUSES = (BidStatus.SUBMITTED, BidStatus.SCREENING)


@dataclass(frozen=True)
class BidRow:
    """A bid in a list, with its partner's agreement status (flagged unless active)."""

    bid: Bid
    agreement: StatusReport

    @property
    def agreement_flagged(self) -> bool:
        return self.agreement.status not in AGREEMENT_OK


def can_act_for(user: User, bid: Bid) -> bool:
    """The partner's own people and coordinators draft, change, submit and withdraw."""
    return user.is_coordinator or acts_for_partner(user, bid.partner_id)


def may_move(user: User, name: str, bid: Bid | None = None) -> bool:
    """Whether the user may make the lifecycle's move `name` on the bid (whatever its state):
    coordinators' moves, the partner's moves (its own people and coordinators); no person
    makes the vote's moves."""
    who = lifecycle.move_named(name).who
    if who is Who.COORDINATOR:
        return user.is_coordinator
    return who is Who.PARTNER and bid is not None and can_act_for(user, bid)


def allowed_moves(user: User, bid: Bid) -> set[str]:
    """The bid stage's moves this user could make on this bid now (the bid page's buttons)."""
    return {
        move.name for move in lifecycle.moves_of("bids") if bid.state in move.sources and may_move(user, move.name, bid)
    }


def member_locality_ids(user: User, day: date) -> set[int]:
    """The localities whose collective the user is an active member of on `day`."""
    return set(
        db.session.scalars(
            select(Collective.locality_id)
            .join(Membership)
            .where(Membership.user_id == user.id, Membership.active_on(day))
        )
    )


def can_read(user: User, bid: Bid, day: date) -> bool:
    if can_act_for(user, bid):
        return True
    return bid.submitted_at is not None and bid.locality_id in member_locality_ids(user, day)


def get_bid(bid_id: int) -> Bid:
    """The bid (NotFound if there is none)."""
    bid = db.session.get(Bid, bid_id)
    if bid is None:
        raise NotFound()
    return bid


def bid_for_viewing(*, actor: User, bid_id: int, day: date) -> Bid:
    """The bid, if the actor may read it. NotFound for an unknown id, PermissionDenied otherwise."""
    bid = get_bid(bid_id)
    if not can_read(actor, bid, day):
        raise PermissionDenied()
    return bid


def bid_for_acting(*, actor: User, bid_id: int) -> Bid:
    """The bid, if the actor may act for its partner (NotFound, PermissionDenied)."""
    bid = get_bid(bid_id)
    if not can_act_for(actor, bid):
        raise PermissionDenied()
    return bid


def partner_for_drafting(*, actor: User, partner_id: int) -> Partner:
    """The partner, if the actor may draft its bids: its own people and coordinators.
    NotFound for an unknown partner, PermissionDenied otherwise."""
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    if not (actor.is_coordinator or acts_for_partner(actor, partner.id)):
        raise PermissionDenied()
    return partner


def partners_of_contact(actor: User) -> list[Partner]:
    """The (not archived) partners the actor acts for, by name."""
    return list(
        db.session.scalars(
            select(Partner)
            .where(Partner.id.in_(partner_ids_for_contact(actor)), Partner.archived_at.is_(None))
            .order_by(Partner.name)
        )
    )


def history(bid: Bid) -> list[BidTransition]:
    return list(
        db.session.scalars(
            select(BidTransition).where(BidTransition.bid_id == bid.id).order_by(BidTransition.at, BidTransition.id)
        )
    )


def _rows(query, day: date) -> list[BidRow]:
    return [BidRow(bid, partner_status(bid.partner, today=day)) for bid in db.session.scalars(query)]


def bids_for_contact(*, actor: User, day: date) -> list[BidRow]:
    """The bids of every partner the actor acts for, newest first."""
    partner_ids = partner_ids_for_contact(actor)
    return _rows(select(Bid).where(Bid.partner_id.in_(partner_ids)).order_by(Bid.created_at.desc(), Bid.id.desc()), day)


def screening_queue(*, actor: User, locality: Locality | None, day: date) -> list[BidRow]:
    """Submitted bids and bids being screened, oldest submission first; coordinators only."""
    if not actor.is_coordinator:
        raise PermissionDenied()
    query = select(Bid).where(Bid.status.in_([status.value for status in SCREENING_STATUSES]))
    if locality is not None:
        query = query.where(Bid.locality_id == locality.id)
    return _rows(query.order_by(Bid.submitted_at, Bid.id), day)


def reads_every_locality(user: User) -> bool:
    """Coordinators read the submitted bids of every locality; members, their collectives' only."""
    return user.is_coordinator


def readable_bids(*, actor: User, day: date) -> list[BidRow]:
    """Submitted bids (any state after submission) in the localities the actor may read:
    every locality for coordinators, the member's own collectives' localities otherwise."""
    query = select(Bid).where(Bid.submitted_at.is_not(None))
    if not reads_every_locality(actor):
        query = query.where(Bid.locality_id.in_(member_locality_ids(actor, day)))
    return _rows(query.order_by(Bid.locality_id, Bid.submitted_at.desc(), Bid.id.desc()), day)


def partner_bids(*, viewer: User, partner: Partner, day: date) -> list[Bid]:
    """The partner's bids this viewer may read."""
    query = select(Bid).where(Bid.partner_id == partner.id).order_by(Bid.created_at.desc(), Bid.id.desc())
    if not (viewer.is_coordinator or acts_for_partner(viewer, partner.id)):
        query = query.where(Bid.submitted_at.is_not(None), Bid.locality_id.in_(member_locality_ids(viewer, day)))
    return list(db.session.scalars(query))


def _partner_panel(partner: Partner, viewer: User) -> dict | None:
    bids = partner_bids(viewer=viewer, partner=partner, day=london_today())
    can_draft = (viewer.is_coordinator or acts_for_partner(viewer, partner.id)) and not partner.is_archived
    if not bids and not can_draft:
        return None
    return {"bids": bids, "partner": partner, "can_draft": can_draft}


register_partner_panel(PartnerPanel(order=20, template="collectives/bids/_partner_panel.html", load=_partner_panel))
