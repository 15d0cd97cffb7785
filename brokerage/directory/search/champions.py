"""Champions for an activity, on its page (signed-in pages are never cached): coordinators see the
champions suggested for its provider (a partner's suggestions, or a peer-led group's) and link one in
a click; a champion may say "I'd like to help" the provider, which a coordinator confirms. Anyone
else sees nothing here."""
from ...accounts.models import User
from ...core.input.forms import ConfirmForm
from ...core.values.roles import Role
from ...groups.access import is_supporting_champion
from ...groups.pages import champions_to_suggest, help_offers
from ...partners.champions.services import help_offers_for, partners_for_champion, suggest_champions
from ..listings.models import Activity


def _suggested(activity: Activity) -> list[User]:
    if activity.partner is not None:
        return [suggestion.profile.user for suggestion in suggest_champions(activity.partner)]
    return [match.user for match in champions_to_suggest(activity.group)]


def _helps_already(activity: Activity, champion: User) -> bool:
    """Linked to the provider, or has offered to help it."""
    if activity.partner is not None:
        return (activity.partner.id in {p.id for p in partners_for_champion(champion)}
                or champion.id in {offer.user_id for offer in help_offers_for(activity.partner)})
    return (is_supporting_champion(champion, activity.group)
            or champion.id in {offer.user_id for offer in help_offers(activity.group)})


def champion_matching(activity: Activity, viewer) -> dict | None:
    """The values of the activity page's champions section for `viewer`, or None to show nothing."""
    if not viewer.is_authenticated:
        return None
    provider = activity.partner or activity.group
    values = {"activity": activity, "provider": provider, "by_partner": activity.partner is not None,
              "confirm_form": ConfirmForm()}
    if viewer.is_coordinator:
        return {**values, "suggested": _suggested(activity)}
    if viewer.has_role(Role.CHAMPION) and not getattr(provider, "closed_on", None):
        return {**values, "helping": _helps_already(activity, viewer)}
    return None
