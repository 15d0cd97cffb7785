"""Bank account status and safeguarding policy: audited, and checked against the constitution."""
from datetime import date

from ..accounts.models import User
from ..audit.services import record_event
from ..core.timeutils import london_today
from ..errors import RuleViolation
from ..extensions import db
from .access import require_edit
from .models import BANK_STATUSES, Group
from .status import current_version, note_stage_change, stage_of


def _check_open_account(group: Group, account_name: str | None, last4: str | None) -> None:
    if not account_name:
        raise RuleViolation("Enter the name on the account, exactly as the bank shows it.", field="account_name")
    version = current_version(group)
    if version is not None and account_name != version.name:
        raise RuleViolation(f"The account name must be exactly the constitution's name, \u201c{version.name}\u201d "
                            "(the same spelling, spaces and capitals). Ask the bank to correct it.",
                            field="account_name")
    if not last4 or len(last4) != 4 or not last4.isascii() or not last4.isdigit():
        raise RuleViolation("Enter the last 4 digits of the account number, like 4821.", field="last4")


def set_bank_account(*, actor: User, group: Group, status: str, account_name: str | None,
                     last4: str | None) -> None:
    """Record the bank account's progress. An open account needs the constitution's name exactly and
    the last four digits of its number (the full number is never stored). Raises PermissionDenied,
    RuleViolation."""
    require_edit(actor, group)
    if status not in BANK_STATUSES:
        raise RuleViolation("Choose how far the bank account has got.", field="status")
    if status == "open":
        _check_open_account(group, account_name, last4)
    before_stage = stage_of(group)
    before = {"status": group.bank_status, "name": group.bank_account_name, "last4": group.bank_account_last4}
    group.bank_status = status
    group.bank_account_name = account_name if status == "open" else None
    group.bank_account_last4 = last4 if status == "open" else None
    record_event(actor=actor, action="group.bank_changed", object_type="group", object_id=group.id,
                 summary=f"{group.name}: bank account {status.replace('_', ' ')}", before=before,
                 after={"status": status, "name": group.bank_account_name, "last4": group.bank_account_last4})
    note_stage_change(actor=actor, group=group, before=before_stage)
    db.session.commit()


def record_safeguarding_policy(*, actor: User, group: Group, adopted_on: date) -> None:
    """Record the date the safeguarding policy was adopted or last reviewed (not in the future).
    Raises PermissionDenied, RuleViolation."""
    require_edit(actor, group)
    if adopted_on > london_today():
        raise RuleViolation("The date cannot be in the future.", field="adopted_on")
    before_stage = stage_of(group)
    before = {"policy_on": group.safeguarding_policy_on.isoformat() if group.safeguarding_policy_on else None}
    group.safeguarding_policy_on = adopted_on
    record_event(actor=actor, action="group.safeguarding_recorded", object_type="group", object_id=group.id,
                 summary=f"{group.name}: safeguarding policy adopted or reviewed on {adopted_on:%d %B %Y}",
                 before=before, after={"policy_on": adopted_on.isoformat()})
    note_stage_change(actor=actor, group=group, before=before_stage)
    db.session.commit()
