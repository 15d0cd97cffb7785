"""Who may do what with calls for bids.

- Coordinators and the active chairs of the collective issue, change and close its calls
  (as they decide who joins it: members.membership.can_manage).
- Coordinators, collective members, champions and partner contacts read the calls (the list
  and each call's page); group organisers, whose accounts reach only their own group, do not.
- Coordinators and the active members of the call's collective see which bids answered it;
  everybody else who reads the call sees only how many did, and what was awarded.
"""

from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...core.values.roles import Role
from ...errors import NotFound, PermissionDenied
from ...extensions import db
from ...partners.access import partner_ids_for_contact
from ...partners.models import ChampionProfile, Partner, champion_locality, partner_locality
from ..members.membership import can_manage, membership_of
from ..models import Collective
from .models import CallForBids

READERS = (Role.COORDINATOR, Role.COLLECTIVE_MEMBER, Role.CHAMPION, Role.PARTNER_CONTACT)
ANSWERERS = (Role.CHAMPION, Role.PARTNER_CONTACT)  # shown the open calls of their localities


def can_issue(user: User, collective: Collective, day: date) -> bool:
    """Issuing, changing and closing a collective's calls: coordinators and its active chairs."""
    return can_manage(user=user, collective=collective, day=day)


def can_read(user: User) -> bool:
    return user.has_any_role(READERS)


def sees_answers(user: User, call: CallForBids, day: date) -> bool:
    """Which bids answered the call: coordinators and the collective's active members."""
    return user.is_coordinator or membership_of(user=user, collective=call.collective, day=day) is not None


def get_call(call_id: int) -> CallForBids:
    call = db.session.get(CallForBids, call_id)
    if call is None:
        raise NotFound()
    return call


def call_for_reading(*, actor: User, call_id: int) -> CallForBids:
    call = get_call(call_id)
    if not can_read(actor):
        raise PermissionDenied()
    return call


def call_for_issuing(*, actor: User, call_id: int, day: date) -> CallForBids:
    call = get_call(call_id)
    if not can_issue(actor, call.collective, day):
        raise PermissionDenied()
    return call


def answering_partners(user: User, call: CallForBids) -> list[Partner]:
    """The partners this person acts for that serve the call's locality (and are not archived):
    they may answer the call with a bid."""
    ids = partner_ids_for_contact(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Partner)
            .join(partner_locality, partner_locality.c.partner_id == Partner.id)
            .where(
                Partner.id.in_(ids),
                Partner.archived_at.is_(None),
                partner_locality.c.locality_id == call.collective.locality_id,
            )
            .order_by(Partner.name)
        )
    )


def localities_of(user: User) -> set[int]:
    """The localities whose calls concern this person: those of the partners they act for and,
    for a champion, those of their profile."""
    ids = set(
        db.session.scalars(
            select(partner_locality.c.locality_id)
            .join(Partner, Partner.id == partner_locality.c.partner_id)
            .where(Partner.id.in_(partner_ids_for_contact(user) or {-1}), Partner.archived_at.is_(None))
        )
    )
    if user.has_role(Role.CHAMPION):
        ids |= set(
            db.session.scalars(
                select(champion_locality.c.locality_id)
                .join(ChampionProfile, ChampionProfile.id == champion_locality.c.champion_id)
                .where(ChampionProfile.user_id == user.id)
            )
        )
    return ids
