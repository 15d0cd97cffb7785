"""Who may do what with a group's hosting and its expenses.

- Apply to be hosted: the group's editors (coordinators, supporting champions, chair/secretary/treasurer).
- Decide, record money received, pay expenses and graduate the group: the host's own people
  (`acts_for_partner`) and coordinators.
- See the hosting, its balance and its history: the group's members and supporters, and the host.
- Submit an expense: the group's members and editors, while the group is open.
- Approve an expense: the group's officers (with an account), never the person claiming it (by
  record or by account) nor the account that put the claim in; two officers who are not related to
  each other approve it (checked when they approve).
- Withdraw an unpaid expense: its claimant, through the account linked to their record.
- Cancel an unpaid expense: two of the group's officers, each with a reason.
"""

from datetime import date

from sqlalchemy import select

from ...accounts.models import User
from ...errors import PermissionDenied
from ...extensions import db
from ...partners.access import acts_for_partner
from ..access import can_edit, can_view, is_member
from ..models import GroupOfficer, GroupPerson, Hosting
from .models import Expense


def is_host(user: User | None, hosting: Hosting) -> bool:
    """The hosting partner's own people, or a coordinator."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_coordinator or acts_for_partner(user, hosting.partner_id)


def can_see_hosting(user: User | None, hosting: Hosting) -> bool:
    return can_view(user, hosting.group) or is_host(user, hosting)


def require_host(actor: User, hosting: Hosting) -> None:
    if not is_host(actor, hosting):
        raise PermissionDenied()


def can_submit_expense(user: User, hosting: Hosting) -> bool:
    group = hosting.group
    return not group.closed_on and (is_member(user, group) or can_edit(user, group))


def officer_person(user: User, group_id: int) -> GroupPerson | None:
    """The member record through which `user` holds an office in the group, if any."""
    return db.session.scalar(
        select(GroupPerson)
        .join(GroupOfficer, GroupOfficer.person_id == GroupPerson.id)
        .where(GroupOfficer.group_id == group_id, GroupPerson.user_id == user.id)
        .limit(1)
    )


def may_offer_approval(officer: GroupPerson | None, expense: Expense, hosting: Hosting, today: date) -> bool:
    """Whether the page offers `officer` the approval of `expense`: it still needs approval, the
    agreement is current, and they are not the person claiming it."""
    return (
        expense.status == "submitted"
        and officer is not None
        and officer.id != expense.claimant_id
        and hosting.state(today) == "approved"
    )


def may_offer_payment(user_is_host: bool, expense: Expense) -> bool:
    """Whether the page offers someone to mark `expense` paid: it is approved and they are the host."""
    return expense.status == "approved" and user_is_host


def may_offer_withdrawal(user: User, expense: Expense) -> bool:
    return expense.status in ("submitted", "approved") and expense.claimant.user_id == user.id


def may_offer_cancellation(officer: GroupPerson | None, expense: Expense) -> bool:
    return (
        officer is not None
        and expense.status in ("submitted", "approved")
        and all(row.officer_id != officer.id for row in expense.cancellations)
    )
