"""Champions: their profiles (localities, interests), their links to partners, the suggestions
that help a coordinator allocate them (champions for a partner; partners for a champion, with
"I'd like to help" that a coordinator confirms by linking). Every change is audited."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ...accounts.models import User, UserRole
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.roles import Role
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..access import can_link_people, require
from ..models import ChampionInterest, ChampionLink, ChampionProfile, Partner, PartnerHelpOffer
from ..validation import clean_text
from ..vocabulary import INTERESTS


@dataclass(frozen=True)
class ChampionDetails:
    locality_ids: list[int] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    about: str = ""


def champion_users() -> list[User]:
    """Active users holding the champion role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.role_rows.any(UserRole.role == Role.CHAMPION.value))
            .order_by(func.lower(User.name))
        )
    )


def get_champion(user_id: int) -> User:
    """A user with the champion role; NotFound otherwise."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.CHAMPION):
        raise NotFound()
    return user


def profile_for(user: User) -> ChampionProfile | None:
    return db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == user.id))


def profiles_by_user() -> dict[int, ChampionProfile]:
    return {profile.user_id: profile for profile in db.session.scalars(select(ChampionProfile))}


def _ensure_profile(user: User) -> ChampionProfile:
    if not user.has_role(Role.CHAMPION):
        raise RuleViolation(f"{user.name} is not a champion. Give them the champion role first.", field="champion")
    profile = profile_for(user)
    if profile is None:
        profile = ChampionProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def _profile_snapshot(profile: ChampionProfile) -> dict:
    return {
        "localities": [locality.slug for locality in profile.localities],
        "interests": profile.interests,
        "about": profile.about,
        "is_service_user": profile.is_service_user,
        "is_staff": profile.is_staff,
    }


def _apply_details(profile: ChampionProfile, details: ChampionDetails) -> None:
    if set(details.interests) - set(INTERESTS):
        raise RuleViolation("Choose interests from the list.", field="interests")
    profile.localities = list(db.session.scalars(select(Locality).where(Locality.id.in_(details.locality_ids or [-1]))))
    wanted = sorted(set(details.interests))
    profile.interest_rows[:] = [row for row in profile.interest_rows if row.interest in wanted]
    profile.interest_rows.extend(ChampionInterest(interest=code) for code in wanted if code not in profile.interests)
    profile.about = clean_text(details.about)


def update_profile(
    *,
    actor: User,
    champion: User,
    details: ChampionDetails,
    is_service_user: bool | None = None,
    is_staff: bool | None = None,
) -> ChampionProfile:
    """A champion edits their own localities, interests and introduction; a coordinator edits
    anyone's, and alone may record whether they are a service user or staff (the two flags are
    ignored when they are None). Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        coordinator = actor.is_coordinator
        if not coordinator and (actor.id != champion.id or not actor.has_role(Role.CHAMPION)):
            raise PermissionDenied()
        if not coordinator and (is_service_user is not None or is_staff is not None):
            raise PermissionDenied()
        profile = _ensure_profile(champion)
        before = _profile_snapshot(profile)
        _apply_details(profile, details)
        if is_service_user is not None:
            profile.is_service_user = is_service_user
        if is_staff is not None:
            profile.is_staff = is_staff
        db.session.flush()
        record_event(
            actor=actor,
            action="champion.profile_updated",
            object_type="user",
            object_id=champion.id,
            summary=f"Champion profile of {champion.name} updated",
            before=before,
            after=_profile_snapshot(profile),
        )
    return profile


def champions_for_partner(partner: Partner) -> list[ChampionProfile]:
    return list(
        db.session.scalars(
            select(ChampionProfile)
            .join(ChampionLink)
            .join(User, User.id == ChampionProfile.user_id)
            .where(ChampionLink.partner_id == partner.id)
            .order_by(func.lower(User.name))
        )
    )


def partners_for_champion(user: User) -> list[Partner]:
    return list(
        db.session.scalars(
            select(Partner)
            .join(ChampionLink)
            .join(ChampionProfile)
            .where(ChampionProfile.user_id == user.id)
            .order_by(func.lower(Partner.name))
        )
    )


def _link(*, actor: User, partner: Partner, champion: User) -> None:
    profile = _ensure_profile(champion)
    exists = db.session.scalar(
        select(ChampionLink.id).where(ChampionLink.partner_id == partner.id, ChampionLink.champion_id == profile.id)
    )
    if exists:
        raise RuleViolation(f"{champion.name} is already linked to {partner.name}.", field="champion")
    db.session.add(ChampionLink(partner_id=partner.id, champion_id=profile.id))
    db.session.execute(
        PartnerHelpOffer.__table__.delete().where(
            PartnerHelpOffer.partner_id == partner.id, PartnerHelpOffer.user_id == champion.id
        )
    )
    db.session.flush()
    record_event(
        actor=actor,
        action="partner.champion_linked",
        object_type="partner",
        object_id=partner.id,
        summary=f"Champion {champion.name} linked to {partner.name}",
    )


def link_creator_as_champion(*, actor: User, partner: Partner) -> None:
    """The champion who registered a partner is linked to it (in the caller's unit of work)."""
    _link(actor=actor, partner=partner, champion=actor)


def link_champion(*, actor: User, partner: Partner, champion: User) -> None:
    """A coordinator links a champion to a partner. Raises PermissionDenied, RuleViolation
    (not a champion, already linked, archived partner)."""
    with unit_of_work():
        require(can_link_people(actor))
        if partner.is_archived:
            raise RuleViolation("Restore this partner before linking champions to it.")
        _link(actor=actor, partner=partner, champion=champion)


def unlink_champion(*, actor: User, partner: Partner, champion: User) -> None:
    """A coordinator ends a champion's link to a partner. Raises PermissionDenied, NotFound."""
    with unit_of_work():
        require(can_link_people(actor))
        link = db.session.scalar(
            select(ChampionLink)
            .join(ChampionProfile)
            .where(ChampionLink.partner_id == partner.id, ChampionProfile.user_id == champion.id)
        )
        if link is None:
            raise NotFound()
        db.session.delete(link)
        record_event(
            actor=actor,
            action="partner.champion_unlinked",
            object_type="partner",
            object_id=partner.id,
            summary=f"Champion {champion.name} no longer linked to {partner.name}",
        )


@dataclass(frozen=True)
class Suggestion:
    profile: ChampionProfile
    shared_localities: list[str]
    shared_interests: list[str]
    link_count: int


def suggest_champions(partner: Partner, *, limit: int = 5) -> list[Suggestion]:
    """Champions to consider for a partner: those sharing a locality come first, then those
    with more interests in common, then those with the fewest current links (so work is
    shared out), then by name. Champions already linked, inactive, or sharing neither a
    locality nor an interest are left out."""
    linked = {profile.id for profile in champions_for_partner(partner)}
    counts = dict(
        db.session.execute(select(ChampionLink.champion_id, func.count()).group_by(ChampionLink.champion_id))
        .tuples()
        .all()
    )
    partner_places = {locality.name for locality in partner.localities}
    partner_interests = set(partner.interests)
    suggestions = []
    for user in champion_users():
        profile = profile_for(user)
        if profile is None or profile.id in linked:
            continue
        places = sorted(partner_places & {locality.name for locality in profile.localities})
        interests = sorted(partner_interests & set(profile.interests))
        if places or interests:
            suggestions.append(Suggestion(profile, places, interests, counts.get(profile.id, 0)))
    suggestions.sort(
        key=lambda s: (not s.shared_localities, -len(s.shared_interests), s.link_count, s.profile.user.name.casefold())
    )
    return suggestions[:limit]


@dataclass(frozen=True)
class PartnerMatch:
    partner: Partner
    shared_localities: list[str]
    shared_interests: list[str]
    champions: int
    offered: bool


def suggest_partners(champion: User, *, limit: int = 5) -> list[PartnerMatch]:
    """Partners to suggest to a champion: current partners sharing a locality or an interest with
    them and not linked to them, those sharing a locality first, then more interests in common, then
    the fewest champions (a partner nobody supports needs help most), then by name."""
    profile = profile_for(champion)
    if profile is None:
        return []
    places, interests = {locality.name for locality in profile.localities}, set(profile.interests)
    linked = {partner.id for partner in partners_for_champion(champion)}
    counts = dict(
        db.session.execute(select(ChampionLink.partner_id, func.count()).group_by(ChampionLink.partner_id))
        .tuples()
        .all()
    )
    offered = set(
        db.session.scalars(select(PartnerHelpOffer.partner_id).where(PartnerHelpOffer.user_id == champion.id))
    )
    matches = []
    for partner in db.session.scalars(select(Partner).where(Partner.archived_at.is_(None))):
        shared_places = sorted(places & {locality.name for locality in partner.localities})
        shared_interests = sorted(interests & set(partner.interests))
        if partner.id not in linked and (shared_places or shared_interests):
            matches.append(
                PartnerMatch(partner, shared_places, shared_interests, counts.get(partner.id, 0), partner.id in offered)
            )
    matches.sort(
        key=lambda m: (not m.shared_localities, -len(m.shared_interests), m.champions, m.partner.name.casefold())
    )
    return matches[:limit]


def offer_help_to_partner(*, actor: User, partner: Partner) -> None:
    """A champion says "I'd like to help" a partner; a coordinator confirms it by linking them.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        if not actor.has_role(Role.CHAMPION) or partner.is_archived:
            raise PermissionDenied()
        if partner.id in {p.id for p in partners_for_champion(actor)}:
            raise RuleViolation(f"You are already linked to {partner.name}.")
        with refused_as(Conflict("You have already offered to help. A coordinator will confirm it.")):
            db.session.add(PartnerHelpOffer(partner_id=partner.id, user_id=actor.id))
        record_event(
            actor=actor,
            action="partner.help_offered",
            object_type="partner",
            object_id=partner.id,
            summary=f"Champion {actor.name} offered to help {partner.name}",
        )


def help_offers_for(partner: Partner) -> list[PartnerHelpOffer]:
    return list(
        db.session.scalars(
            select(PartnerHelpOffer)
            .where(PartnerHelpOffer.partner_id == partner.id)
            .order_by(PartnerHelpOffer.at, PartnerHelpOffer.id)
        )
    )
