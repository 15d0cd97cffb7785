"""Who may move money by hand: coordinators open funds, allocate money and reverse ledger
entries. (Earmarks, releases, commitments and payments are made by the bid, vote and grant
services, which check who may act before they call the money services.)"""

from ...accounts.models import User


def can_manage_money(user: User | None) -> bool:
    return user is not None and user.is_coordinator
