"""Who hears about a partner: its contacts (the accounts that act for it, and named contacts with
an email address but no account, as plain recipients), its champions, and the coordinators."""

from sqlalchemy import func, select

from ..accounts.models import User, UserRole
from ..core.values.roles import Role
from ..extensions import db
from ..notifications.services import Recipient
from .models import ChampionLink, ChampionProfile, Partner, PartnerContact, PartnerUser


def _as_recipient(user: User) -> Recipient:
    return Recipient(user.name, user.email, user.id)


def _users(query) -> list[Recipient]:
    return [
        _as_recipient(user)
        for user in db.session.scalars(query.where(User.active.is_(True)).order_by(func.lower(User.name), User.id))
    ]


def partner_contacts(partner: Partner) -> list[Recipient]:
    """The active accounts that act for the partner, then its named contacts with an email address
    that no account holds (a named contact whose address is an account's is that account, so the
    person's own choices apply)."""
    people = _users(
        select(User)
        .join(PartnerUser, PartnerUser.user_id == User.id)
        .where(PartnerUser.partner_id == partner.id, User.role_rows.any(UserRole.role == Role.PARTNER_CONTACT.value))
    )
    named = db.session.scalars(
        select(PartnerContact)
        .where(PartnerContact.partner_id == partner.id, PartnerContact.email != "")
        .order_by(PartnerContact.id)
    )
    known = {person.email.lower() for person in people if person.email}
    for contact in named:
        address = contact.email.lower()
        if address in known:
            continue
        known.add(address)
        account = db.session.scalar(select(User).where(func.lower(User.email) == address))
        if account is not None and not account.active:
            continue
        people.append(_as_recipient(account) if account else Recipient(contact.name, contact.email))
    return people


def partner_champions(partner: Partner) -> list[Recipient]:
    """The active champions linked to the partner."""
    return _users(
        select(User)
        .join(ChampionProfile, ChampionProfile.user_id == User.id)
        .join(ChampionLink, ChampionLink.champion_id == ChampionProfile.id)
        .where(ChampionLink.partner_id == partner.id, User.role_rows.any(UserRole.role == Role.CHAMPION.value))
    )


def coordinators() -> list[Recipient]:
    """Every active coordinator."""
    return _users(select(User).where(User.role_rows.any(UserRole.role == Role.COORDINATOR.value)))


def unique(*groups: list[Recipient]) -> list[Recipient]:
    """The recipients of several lists, each person once (by account, else by address)."""
    seen, found = set(), []
    for recipient in (person for group in groups for person in group):
        key = recipient.user_id or (recipient.email or "").lower()
        if key not in seen:
            seen.add(key)
            found.append(recipient)
    return found
