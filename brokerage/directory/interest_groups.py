"""Starting a peer-led group from an activity's interest list, through the groups services.

Contact consent given on the activity page is not consent to join a group, so the editor
picks people who have been contacted and confirms that they agreed to be founding members;
that agreement (dated today) is what the group records as their consent."""
from dataclasses import dataclass
from datetime import datetime

from ..accounts.models import User
from ..core.timeutils import london_today
from ..errors import RuleViolation
from ..groups.access import require_can_start_groups
from ..groups.models import Group
from ..groups.people.services import NewPerson, add_person
from ..groups.services import GroupDetails, create_group
from .activity_models import Activity
from .interest import interest_in
from .permissions import require_edit
from .presentation import public_address


@dataclass(frozen=True)
class NewGroupFromInterest:
    name: str
    locality_id: int
    interest_ids: tuple[int, ...]
    agreed: bool


def _founders(activity: Activity, new: NewGroupFromInterest, now: datetime) -> list:
    if not new.interest_ids:
        raise RuleViolation("Choose at least one person who agreed to help start the group.", field="interest_ids")
    if not new.agreed:
        raise RuleViolation("Confirm that everyone you chose agreed to be a founding member.", field="agreed")
    founders = [interest_in(activity, interest_id, now) for interest_id in dict.fromkeys(new.interest_ids)]
    if any(person.contacted_at is None or not person.first_name for person in founders):
        raise RuleViolation("Choose only people with a first name whom you have contacted.", field="interest_ids")
    return founders


def start_group_from_interest(*, actor: User, activity: Activity, new: NewGroupFromInterest,
                              now: datetime) -> Group:
    """Start a forming group (groups.services.create_group) with the chosen people as founding
    members (groups.people.add_person, with their contact and consent). Only a coordinator or
    champion who may edit the activity (PermissionDenied); RuleViolation for a missing choice.
    The group and each member are committed and audited by the groups services in turn."""
    require_edit(actor, activity)
    require_can_start_groups(actor)
    founders = _founders(activity, new, now)
    if not new.name.strip():
        raise RuleViolation("Enter a name for the group.", field="name")
    group = create_group(actor=actor, details=GroupDetails(
        name=new.name.strip()[:120], aims=f"People who enjoy {activity.title} meeting as a peer-led group.",
        activity=activity.title, locality_id=new.locality_id, meeting_place=public_address(activity)[:300],
        meeting_place_private=False))
    for person in founders:
        add_person(actor=actor, group=group, new=NewPerson(
            name=person.first_name, contact=person.contact or None, consent_given=True,
            consent_on=london_today(now)))
    return group
