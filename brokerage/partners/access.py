"""Who may do what with a partner. Coordinators manage everything; champions create partners
and edit those they are linked to; partner contacts see and edit only their own organisations;
collective members read. Other features ask `acts_for_partner` about a partner's own people."""

from sqlalchemy import select

from ..accounts.models import User
from ..core.values.roles import Role
from ..errors import PermissionDenied
from ..extensions import db
from .models import ChampionLink, ChampionProfile, Partner, PartnerUser

READER_ROLES = frozenset({Role.COORDINATOR, Role.COLLECTIVE_MEMBER, Role.CHAMPION})


def partner_ids_for_contact(user: User) -> set[int]:
    """The partners this user is linked to as a partner contact."""
    if not user.has_role(Role.PARTNER_CONTACT):
        return set()
    return set(db.session.scalars(select(PartnerUser.partner_id).where(PartnerUser.user_id == user.id)))


def partner_ids_for_champion(user: User) -> set[int]:
    """The partners this user is linked to as a champion."""
    if not user.has_role(Role.CHAMPION):
        return set()
    return set(
        db.session.scalars(
            select(ChampionLink.partner_id).join(ChampionProfile).where(ChampionProfile.user_id == user.id)
        )
    )


def acts_for_partner(user: User, partner_id: int) -> bool:
    """True when the user is one of the partner's own people (a linked partner contact)."""
    return partner_id in partner_ids_for_contact(user)


def can_view_partner(user: User, partner: Partner) -> bool:
    return user.has_any_role(READER_ROLES) or acts_for_partner(user, partner.id)


def can_create_partner(user: User) -> bool:
    return user.has_any_role({Role.COORDINATOR, Role.CHAMPION})


def can_edit_partner(user: User, partner: Partner) -> bool:
    if user.is_coordinator:
        return True
    return partner.id in partner_ids_for_champion(user) or acts_for_partner(user, partner.id)


def can_manage_agreements(user: User) -> bool:
    """Recording a partner's agreement and seeing the renewals list: coordinators."""
    return user.is_coordinator


def can_export_partners(user: User) -> bool:
    """The partners CSV holds contacts' details: coordinators."""
    return user.is_coordinator


def can_archive_partner(user: User) -> bool:
    return user.is_coordinator


def can_link_people(user: User) -> bool:
    """Linking accounts and champions to a partner, and seeing which accounts act for it: coordinators."""
    return user.is_coordinator


def can_see_full_history(user: User) -> bool:
    """The whole audit trail (the audit pages) is for coordinators."""
    return user.is_coordinator


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()
