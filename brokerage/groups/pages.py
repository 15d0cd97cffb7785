"""What the group pages show beyond the records themselves: the governance calendar (AGM, notice
deadlines, officers' terms, safeguarding review, hosting expiry) and the coordinators' list of
groups needing attention. Dates are worked out, never stored."""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from .lifecycle import Readiness, facts_for, readiness_for_many
from .models import ConstitutionVersion, Group, Hosting
from .rules import Facts, add_months, next_agm_due

ATTENTION_DAYS = 60
POLICY_REVIEW_MONTHS = 12


@dataclass(frozen=True)
class Deadline:
    title: str
    due_on: date
    detail: str = ""

    def overdue(self, today: date) -> bool:
        return self.due_on < today


def meeting_deadlines(facts: Facts) -> list[Deadline]:
    due = next_agm_due(facts)
    if due is None:
        return []
    choices = facts.choices
    return [Deadline("Annual general meeting due", due,
                     f"Within {choices['agm_within_months']} months of the last one."),
            Deadline("Give members notice of the AGM", due - timedelta(days=choices["notice_days"]),
                     f"At least {choices['notice_days']} days before the meeting."),
            Deadline("Give notice of any changes to the constitution", due - timedelta(days=choices["amendment_notice_days"]),
                     f"To change the constitution at the AGM, at least {choices['amendment_notice_days']} days before it.")]


def _officer_terms(facts: Facts, founded_on: date | None, today: date) -> list[Deadline]:
    """Officers serve terms counted from the founding meeting; the next term end on or after today."""
    if facts.choices is None or founded_on is None or not facts.offices:
        return []
    months = 12 * facts.choices["officer_term_years"]
    ends = add_months(founded_on, months)
    while ends < today:
        ends = add_months(ends, months)
    return [Deadline("Officers' terms end", ends, "Officers stand again (or stand down) at the AGM by then.")]


def _policy_review(facts: Facts) -> list[Deadline]:
    if facts.safeguarding_policy_on is None:
        return []
    return [Deadline("Review the safeguarding policy", add_months(facts.safeguarding_policy_on, POLICY_REVIEW_MONTHS),
                     "Once a year, and whenever something goes wrong.")]


def _hosting_expiry(hosting: Hosting | None) -> list[Deadline]:
    if hosting is None or hosting.status != "approved":
        return []
    return [Deadline("Hosting agreement expires", hosting.expires_on,
                     f"{hosting.partner.name} holds the group's money until then; after it, the group "
                     "graduates to its own account or applies to be hosted again.")]


def founding_date(group: Group) -> date | None:
    return db.session.scalar(select(ConstitutionVersion.adopted_on).where(
        ConstitutionVersion.group_id == group.id, ConstitutionVersion.number == 1))


def calendar_for(*, group: Group, hosting: Hosting | None, today: date) -> list[Deadline]:
    """The group's coming governance dates, soonest first (overdue ones first of all)."""
    if group.closed_on:
        return []
    facts = facts_for(group)
    deadlines = (meeting_deadlines(facts) + _officer_terms(facts, founding_date(group), today)
                 + _policy_review(facts) + _hosting_expiry(hosting))
    return sorted(deadlines, key=lambda deadline: deadline.due_on)


@dataclass(frozen=True)
class Attention:
    group: Group
    readiness: Readiness
    reasons: list[Deadline]
    incomplete: int

    @property
    def soonest(self) -> date:
        return min((reason.due_on for reason in self.reasons), default=date.max)


def _reasons(readiness: Readiness, hosting: Hosting | None, horizon: date) -> list[Deadline]:
    reasons = []
    if readiness.next_agm_due and readiness.next_agm_due <= horizon:
        reasons.append(Deadline("AGM due", readiness.next_agm_due))
    if hosting is not None and hosting.expires_on <= horizon:
        reasons.append(Deadline(f"Hosting by {hosting.partner.name} expires", hosting.expires_on))
    return reasons


def groups_needing_attention(*, today: date) -> list[Attention]:
    """Open groups whose AGM is overdue or due within 60 days, whose hosting expires within 60 days, or
    whose readiness checklist is incomplete; soonest date first, then the rest by name."""
    groups = list(db.session.scalars(select(Group).where(Group.closed_on.is_(None)).order_by(Group.name)))
    readiness = readiness_for_many(groups)
    hostings = {hosting.group_id: hosting for hosting in db.session.scalars(
        select(Hosting).where(Hosting.status == "approved", Hosting.group_id.in_([g.id for g in groups])))}
    horizon = today + timedelta(days=ATTENTION_DAYS)
    found = []
    for group in groups:
        state = readiness[group.id]
        reasons = _reasons(state, hostings.get(group.id), horizon)
        incomplete = len(state.items) - state.done_count
        if reasons or incomplete:
            found.append(Attention(group, state, reasons, incomplete))
    return sorted(found, key=lambda item: (item.soonest, item.group.name))
