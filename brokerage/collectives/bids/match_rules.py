"""Each collective's match rule (versioned) and the match figures for a bid.

Until a collective sets its own, the default applies: £1 of match for every £1 of confirmed
partner money, at most £5,000 per bid. A new version takes effect from its date; earlier
versions stay, so the rule that applied on any day can be shown. A version no vote has opened
under yet can be corrected (a mistake noticed the same day); one that has been used cannot, and
every correction is audited with the figures before and after.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.models import Locality
from ...core.data.unit_of_work import Conflict, unit_of_work
from ...core.values.timeutils import financial_year_start, london_today
from ...core.web.filters import money
from ...errors import PermissionDenied, RuleViolation
from ...extensions import db
from .. import versions
from ..models import Collective
from ..money import services as funds
from .lifecycle import BidStatus
from .models import MAX_PENCE, Bid, BidTransition, MatchRule
from .rules import MatchFigures, Ratio, match_award

DEFAULT_RATIO = Ratio(1, 1)
DEFAULT_CAP_PENCE = 500_000  # £5,000
SAME_DAY = Conflict("A version of the rule already starts that day.", field="effective_from")
USED = (
    "A vote has already opened under the version that starts that day, so it cannot be corrected. "
    "Add a new version from a later day."
)


@dataclass(frozen=True)
class RuleVersion:
    ratio: Ratio
    cap_pence: int
    effective_from: date | None  # None: the default, never changed

    @property
    def description(self) -> str:
        return (
            f"£{self.ratio.numerator} of match for every £{self.ratio.denominator} of confirmed partner money, "
            f"at most {money(self.cap_pence)} per bid"
        )


DEFAULT_RULE = RuleVersion(DEFAULT_RATIO, DEFAULT_CAP_PENCE, None)


def rule_columns() -> tuple:
    """The columns `rule_from` reads, in its order."""
    return MatchRule.ratio_numerator, MatchRule.ratio_denominator, MatchRule.cap_pence, MatchRule.effective_from


def rule_from(values) -> RuleVersion:
    """The rule from `rule_columns` values (all NULL when no version is in force: the default)."""
    numerator, denominator, cap_pence, effective_from = values
    if numerator is None:
        return DEFAULT_RULE
    return RuleVersion(Ratio(numerator, denominator), cap_pence, effective_from)


@cache
def _current_statement():
    return select(*rule_columns()).where(
        MatchRule.id == versions.in_force_id(MatchRule, bindparam("collective_id"), bindparam("day"))
    )


def current_rule(*, collective_id: int, day: date) -> RuleVersion:
    """The version in force on `day`: the latest one effective on or before it, else the default."""
    row = db.session.connection().execute(_current_statement(), {"collective_id": collective_id, "day": day}).first()
    return rule_from(row or (None,) * 4)


def _check_rule(numerator: int, denominator: int, cap_pence: int, effective_from: date, today: date) -> None:
    if not 0 <= numerator <= 100:
        raise RuleViolation("Enter a whole number of pounds from 0 to 100.", field="ratio_numerator")
    if not 1 <= denominator <= 100:
        raise RuleViolation("Enter a whole number of pounds from 1 to 100.", field="ratio_denominator")
    if not 0 < cap_pence <= MAX_PENCE:
        raise RuleViolation("Enter a cap greater than £0 and no more than £10,000,000.", field="cap")
    if effective_from < today:
        raise RuleViolation("A new rule cannot start in the past: choose today or a later day.", field="effective_from")


def _used(rule: MatchRule, collective: Collective) -> bool:
    """Whether any vote in the collective's locality opened while this version was in force (on
    or after its start, before the next version's): the awards voted on rest on its figures."""
    later = db.session.scalar(
        select(func.min(MatchRule.effective_from)).where(
            MatchRule.collective_id == collective.id, MatchRule.effective_from > rule.effective_from
        )
    )
    opened = db.session.scalars(
        select(BidTransition.at)
        .join(Bid, Bid.id == BidTransition.bid_id)
        .where(Bid.locality_id == collective.locality_id, BidTransition.to_status == BidStatus.OPEN_FOR_VOTE.value)
    )
    return any(rule.effective_from <= london_today(at) and (later is None or london_today(at) < later) for at in opened)


def set_match_rule(
    *,
    actor: User,
    collective: Collective,
    numerator: int,
    denominator: int,
    cap_pence: int,
    effective_from: date,
    now: datetime,
) -> MatchRule:
    """Add a version of a collective's match rule, in force from `effective_from` (today or
    later), or correct the version starting that day if no vote has opened under it yet.
    Coordinators only (PermissionDenied); RuleViolation for figures out of range, a start in
    the past, or a version starting that day that a vote has already used."""
    with unit_of_work(conflict=SAME_DAY):
        if not actor.is_coordinator:
            raise PermissionDenied()
        _check_rule(numerator, denominator, cap_pence, effective_from, london_today(now))
        rule = db.session.scalar(
            select(MatchRule)
            .where(MatchRule.collective_id == collective.id, MatchRule.effective_from == effective_from)
            .with_for_update()
        )
        before = None
        if rule is not None:
            if _used(rule, collective):
                raise RuleViolation(USED, field="effective_from")
            before = {"ratio": f"{rule.ratio_numerator}:{rule.ratio_denominator}", "cap_pence": rule.cap_pence}
            rule.ratio_numerator, rule.ratio_denominator, rule.cap_pence = numerator, denominator, cap_pence
        else:
            rule = MatchRule(
                collective_id=collective.id,
                ratio_numerator=numerator,
                ratio_denominator=denominator,
                cap_pence=cap_pence,
                effective_from=effective_from,
                created_by_id=actor.id,
                created_at=now,
            )
            db.session.add(rule)
        db.session.flush()
        version = RuleVersion(Ratio(numerator, denominator), cap_pence, effective_from)
        verb = "corrected" if before else "set"
        record_event(
            actor=actor,
            action=f"collective.match_rule_{verb}",
            object_type="collective",
            object_id=collective.id,
            before=before,
            summary=f"Match rule of {collective.name} from {effective_from:%d %b %Y}"
            f"{' corrected to' if before else ''}: {version.description}",
            after={
                "ratio": f"{numerator}:{denominator}",
                "cap_pence": cap_pence,
                "effective_from": effective_from.isoformat(),
            },
        )
    return rule


def available_pence(*, locality: Locality, day: date) -> int:
    """Money available now in the locality's fund for the financial year of `day` (£0 if none)."""
    return funds.fund_summary(funds.fund_for(locality=locality, start_year=financial_year_start(day))).available


def collective_id_for(locality_id: int) -> int | None:
    return db.session.scalar(select(Collective.id).where(Collective.locality_id == locality_id))


def rule_for_locality(*, locality: Locality, day: date) -> RuleVersion:
    collective_id = collective_id_for(locality.id)
    return current_rule(collective_id=collective_id, day=day) if collective_id else DEFAULT_RULE


def figures(*, locality: Locality, requested: int, confirmed_funds: int, day: date) -> MatchFigures:
    """The match figures for these amounts in this locality on `day`."""
    rule = rule_for_locality(locality=locality, day=day)
    return match_award(
        requested=requested,
        confirmed_funds=confirmed_funds,
        ratio=rule.ratio,
        cap=rule.cap_pence,
        available=available_pence(locality=locality, day=day),
    )


def figures_for_bid(bid: Bid, *, day: date) -> MatchFigures:
    return figures(
        locality=bid.locality, requested=bid.requested_pence, confirmed_funds=bid.confirmed_funds_pence, day=day
    )


def calculator_data(*, localities: list[Locality], day: date) -> dict[str, dict[str, int]]:
    """Each locality's rule and available money, for the figures script on the bid form."""
    data = {}
    for locality in localities:
        rule = rule_for_locality(locality=locality, day=day)
        data[str(locality.id)] = {
            "numerator": rule.ratio.numerator,
            "denominator": rule.ratio.denominator,
            "cap": rule.cap_pence,
            "available": available_pence(locality=locality, day=day),
        }
    return data


def rule_versions(*, collective_id: int) -> list[MatchRule]:
    """Every version of a collective's rule, the latest start first."""
    return list(
        db.session.scalars(
            select(MatchRule).where(MatchRule.collective_id == collective_id).order_by(MatchRule.effective_from.desc())
        )
    )
