"""Each collective's quorum and decision rules, versioned. Until a collective sets its own,
the defaults of domain.md apply (version 0). A new version takes effect from its date; a
poll snapshots the version in force on the day it opens, so later changes never touch it."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.values.timeutils import london_today
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from .. import versions
from ..models import Collective
from .access import can_set_rules
from .models import DecisionRuleSet, Poll
from .rules import DEFAULT_RULES, RuleSet

SAME_DAY = Conflict("A version of the rules already starts that day.", field="effective_from")


@dataclass(frozen=True)
class RulesInForce:
    rules: RuleSet
    version: int  # 0: the defaults
    effective_from: date | None


def in_force_columns() -> tuple:
    """The columns `in_force_from` reads, in its order."""
    return (
        DecisionRuleSet.version,
        DecisionRuleSet.effective_from,
        *(getattr(DecisionRuleSet, field) for field in RuleSet.__dataclass_fields__),
    )


def in_force_from(values) -> RulesInForce:
    """The rules from `in_force_columns` values (all NULL when no version is in force: the defaults)."""
    version, effective_from, *rules = values
    if version is None:
        return RulesInForce(DEFAULT_RULES, 0, None)
    return RulesInForce(RuleSet(*rules), version, effective_from)


@cache
def _in_force_statement():
    return select(*in_force_columns()).where(
        DecisionRuleSet.id == versions.in_force_id(DecisionRuleSet, bindparam("collective_id"), bindparam("day"))
    )


def rules_in_force(*, collective_id: int, day: date) -> RulesInForce:
    """The latest version effective on or before `day`, else the defaults."""
    row = db.session.connection().execute(_in_force_statement(), {"collective_id": collective_id, "day": day}).first()
    return in_force_from(row or (None, None))


def _correct(*, actor: User, collective: Collective, row: DecisionRuleSet, rules: RuleSet) -> DecisionRuleSet:
    """Correct a version no vote has opened under yet (a mistake noticed the same day); one a
    vote has used stays as it was, since that vote's quorum and thresholds rest on it."""
    if (
        db.session.scalar(
            select(Poll.id).where(Poll.collective_id == collective.id, Poll.rule_set_version == row.version).limit(1)
        )
        is not None
    ):
        raise RuleViolation(
            "A vote has already opened under the version that starts that day, so it cannot be "
            "corrected. Add a new version from a later day.",
            field="effective_from",
        )
    before = {field: getattr(row, field) for field in RuleSet.__dataclass_fields__}
    for field, value in rules.as_dict().items():
        setattr(row, field, value)
    db.session.flush()
    record_event(
        actor=actor,
        action="collective.decision_rules_corrected",
        object_type="collective",
        object_id=collective.id,
        before=before,
        summary=f"Decision rules of {collective.name}, version {row.version}, corrected",
        after={"version": row.version, "effective_from": row.effective_from.isoformat(), **rules.as_dict()},
    )
    return row


def set_rules(
    *, actor: User, collective: Collective, rules: RuleSet, effective_from: date, now: datetime
) -> DecisionRuleSet:
    """Add a version of a collective's rules from `effective_from` (today or later), or correct
    the version starting that day if no vote has opened under it yet. Coordinators only
    (PermissionDenied); RuleViolation for rules that could not work, a start in the past, or a
    version starting that day that a vote has already used."""
    with unit_of_work(conflict=SAME_DAY):
        if not can_set_rules(actor):
            raise PermissionDenied()
        rules.check()
        if effective_from < london_today(now):
            raise RuleViolation(
                "New rules cannot start in the past: choose today or a later day.", field="effective_from"
            )
        same_day = db.session.scalar(
            select(DecisionRuleSet)
            .where(DecisionRuleSet.collective_id == collective.id, DecisionRuleSet.effective_from == effective_from)
            .with_for_update()
        )
        if same_day is not None:
            return _correct(actor=actor, collective=collective, row=same_day, rules=rules)
        latest = (
            db.session.scalar(
                select(func.max(DecisionRuleSet.version)).where(DecisionRuleSet.collective_id == collective.id)
            )
            or 0
        )
        row = DecisionRuleSet(
            collective_id=collective.id,
            version=latest + 1,
            effective_from=effective_from,
            created_at=now,
            created_by_id=actor.id,
            **rules.as_dict(),
        )
        db.session.add(row)
        db.session.flush()
        record_event(
            actor=actor,
            action="collective.decision_rules_set",
            object_type="collective",
            object_id=collective.id,
            summary=f"Decision rules of {collective.name}, version {row.version}, from {effective_from:%d %b %Y}",
            after={"version": row.version, "effective_from": effective_from.isoformat(), **rules.as_dict()},
        )
    return row
