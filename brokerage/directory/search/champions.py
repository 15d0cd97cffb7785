"""Champions and activities matched both ways. On an activity's page (signed-in pages are never
cached): coordinators see the champions suggested for its provider (a partner's suggestions, or a
peer-led group's) and link one in a click; a champion may say "I'd like to help" the provider, which
a coordinator confirms. Anyone else sees nothing here. On a champion's own page: listed activities
in their localities whose providers they do not yet help, those with the fewest champions first."""

from sqlalchemy import func, select

from ...accounts.models import User
from ...core.input.forms import ConfirmForm
from ...core.values.roles import Role
from ...extensions import db
from ...groups.access import is_supporting_champion
from ...groups.models import GroupChampion
from ...groups.pages import champions_to_suggest, help_offers
from ...partners.champions.panels import Panel, register_champion_panel
from ...partners.champions.services import help_offers_for, partners_for_champion, profile_for, suggest_champions
from ...partners.models import ChampionLink
from ..listings.models import Activity

SUGGESTIONS = 5


def _suggested(activity: Activity) -> list[User]:
    if activity.partner is not None:
        return [suggestion.profile.user for suggestion in suggest_champions(activity.partner)]
    return [match.user for match in champions_to_suggest(activity.group)]


def _helps_already(activity: Activity, champion: User) -> bool:
    """Linked to the provider, or has offered to help it."""
    if activity.partner is not None:
        return activity.partner.id in {p.id for p in partners_for_champion(champion)} or champion.id in {
            offer.user_id for offer in help_offers_for(activity.partner)
        }
    return is_supporting_champion(champion, activity.group) or champion.id in {
        offer.user_id for offer in help_offers(activity.group)
    }


def champion_matching(activity: Activity, viewer) -> dict | None:
    """The values of the activity page's champions section for `viewer`, or None to show nothing."""
    if not viewer.is_authenticated:
        return None
    provider = activity.partner or activity.group
    values = {
        "activity": activity,
        "provider": provider,
        "by_partner": activity.partner is not None,
        "confirm_form": ConfirmForm(),
    }
    if viewer.is_coordinator:
        return {**values, "suggested": _suggested(activity)}
    if viewer.has_role(Role.CHAMPION) and not getattr(provider, "closed_on", None):
        return {**values, "helping": _helps_already(activity, viewer)}
    return None


def _champion_counts() -> tuple[dict[int, int], dict[int, int]]:
    """Champions per partner and per group."""
    partners = dict(
        db.session.execute(select(ChampionLink.partner_id, func.count()).group_by(ChampionLink.partner_id))
        .tuples()
        .all()
    )
    groups = dict(
        db.session.execute(select(GroupChampion.group_id, func.count()).group_by(GroupChampion.group_id)).tuples().all()
    )
    return partners, groups


def activities_to_suggest(champion: User) -> list[tuple[Activity, int]]:
    """Listed activities in the champion's localities whose provider they neither help nor offered to
    help, with the provider's champion count, fewest first, then by title."""
    profile = profile_for(champion)
    if profile is None or not profile.localities:
        return []
    activities = db.session.scalars(
        select(Activity).where(
            Activity.listed.is_(True), Activity.locality_id.in_([locality.id for locality in profile.localities])
        )
    )
    by_partner, by_group = _champion_counts()
    matches = [
        (
            activity,
            by_partner.get(activity.partner_id, 0)
            if activity.partner_id
            else by_group.get(activity.group_id, 0)
            if activity.group_id
            else 0,
        )
        for activity in activities
        if not _helps_already(activity, champion)
    ]
    matches.sort(key=lambda match: (match[1], match[0].title.casefold()))
    return matches[:SUGGESTIONS]


def _champion_panel(champion: User, viewer: User) -> dict | None:
    if viewer.id != champion.id:
        return None
    matches = activities_to_suggest(champion)
    return {"matches": matches, "confirm_form": ConfirmForm()} if matches else None


register_champion_panel(Panel(order=20, template="directory/search/_champion_activities.html", load=_champion_panel))
