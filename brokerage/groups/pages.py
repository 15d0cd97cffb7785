"""What the group pages show beyond the records themselves: the governance calendar (AGM, notice
deadlines, officers' terms, safeguarding review, hosting expiry), the coordinators' list of
groups needing attention, and champions matched with groups both ways (champions to suggest for a
group; groups to suggest to a champion, on the champion's own page). Dates are worked out, never stored."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.input.forms import ConfirmForm
from ..core.values.roles import Role
from ..extensions import db
from ..partners.champions.panels import Panel, register_champion_panel
from ..partners.models import ChampionLink, ChampionProfile, champion_locality
from .lifecycle import Readiness, facts_for, readiness_for_many
from .models import ConstitutionVersion, Group, GroupChampion, GroupHelpOffer, Hosting
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
    due, choices = next_agm_due(facts), facts.choices
    if due is None or choices is None:
        return []
    return [
        Deadline("Annual general meeting due", due, f"Within {choices['agm_within_months']} months of the last one."),
        Deadline(
            "Give members notice of the AGM",
            due - timedelta(days=choices["notice_days"]),
            f"At least {choices['notice_days']} days before the meeting.",
        ),
        Deadline(
            "Give notice of any changes to the constitution",
            due - timedelta(days=choices["amendment_notice_days"]),
            f"To change the constitution at the AGM, at least {choices['amendment_notice_days']} days before it.",
        ),
    ]


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
    return [
        Deadline(
            "Review the safeguarding policy",
            add_months(facts.safeguarding_policy_on, POLICY_REVIEW_MONTHS),
            "Once a year, and whenever something goes wrong.",
        )
    ]


def _hosting_expiry(hosting: Hosting | None) -> list[Deadline]:
    if hosting is None or hosting.status != "approved" or hosting.expires_on is None:
        return []
    return [
        Deadline(
            "Hosting agreement expires",
            hosting.expires_on,
            f"{hosting.partner.name} holds the group's money until then; after it, the group "
            "graduates to its own account or applies to be hosted again.",
        )
    ]


def founding_date(group: Group) -> date | None:
    return db.session.scalar(
        select(ConstitutionVersion.adopted_on).where(
            ConstitutionVersion.group_id == group.id, ConstitutionVersion.number == 1
        )
    )


def calendar_for(*, group: Group, hosting: Hosting | None, today: date) -> list[Deadline]:
    """The group's coming governance dates, soonest first (overdue ones first of all)."""
    if group.closed_on:
        return []
    facts = facts_for(group)
    deadlines = (
        meeting_deadlines(facts)
        + _officer_terms(facts, founding_date(group), today)
        + _policy_review(facts)
        + _hosting_expiry(hosting)
    )
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
    if hosting is not None and hosting.expires_on is not None and hosting.expires_on <= horizon:
        reasons.append(Deadline(f"Hosting by {hosting.partner.name} expires", hosting.expires_on))
    return reasons


def groups_needing_attention(*, today: date) -> list[Attention]:
    """Open groups whose AGM is overdue or due within 60 days, whose hosting expires within 60 days, or
    whose readiness checklist is incomplete; soonest date first, then the rest by name."""
    groups = list(db.session.scalars(select(Group).where(Group.closed_on.is_(None)).order_by(Group.name)))
    readiness = readiness_for_many(groups)
    hostings = {
        hosting.group_id: hosting
        for hosting in db.session.scalars(
            select(Hosting).where(Hosting.status == "approved", Hosting.group_id.in_([g.id for g in groups]))
        )
    }
    horizon = today + timedelta(days=ATTENTION_DAYS)
    found = []
    for group in groups:
        state = readiness[group.id]
        reasons = _reasons(state, hostings.get(group.id), horizon)
        incomplete = len(state.items) - state.done_count
        if reasons or incomplete:
            found.append(Attention(group, state, reasons, incomplete))
    return sorted(found, key=lambda item: (item.soonest, item.group.name))


SUGGESTIONS = 5


@dataclass(frozen=True)
class ChampionMatch:
    user: User
    links: int  # partners linked and groups supported now


@dataclass(frozen=True)
class GroupMatch:
    group: Group
    champions: int
    offered: bool


def _links_by_user() -> dict[int, int]:
    """Each champion's current links: partners they are linked to and groups they support."""
    counts: dict[int, int] = dict(
        db.session.execute(
            select(ChampionProfile.user_id, func.count(ChampionLink.id))
            .join(ChampionLink, ChampionLink.champion_id == ChampionProfile.id)
            .group_by(ChampionProfile.user_id)
        )
        .tuples()
        .all()
    )
    for user_id, count in db.session.execute(
        select(GroupChampion.user_id, func.count()).group_by(GroupChampion.user_id)
    ):
        counts[user_id] = counts.get(user_id, 0) + count
    return counts


def _offers(**where) -> set[tuple[int, int]]:
    query = select(GroupHelpOffer.group_id, GroupHelpOffer.user_id).filter_by(**where)
    return {(group_id, user_id) for group_id, user_id in db.session.execute(query)}


def champions_to_suggest(group: Group) -> list[ChampionMatch]:
    """Active champions working in the group's locality who neither support it nor have offered to
    (offers are listed apart): the fewest current links first, so the work is shared out, then by name."""
    offered = {user_id for _, user_id in _offers(group_id=group.id)}
    supporting = {row.user_id for row in group.champions} | {group.created_by_id} | offered
    local = (
        select(ChampionProfile.user_id)
        .join(champion_locality)
        .where(champion_locality.c.locality_id == group.locality_id)
    )
    users = db.session.scalars(select(User).where(User.active.is_(True), User.id.in_(local)))
    links = _links_by_user()
    matches = [
        ChampionMatch(user, links.get(user.id, 0))
        for user in users
        if user.has_role(Role.CHAMPION) and user.id not in supporting
    ]
    matches.sort(key=lambda m: (m.links, m.user.name.casefold()))
    return matches[:SUGGESTIONS]


def help_offers(group: Group) -> list[GroupHelpOffer]:
    return list(
        db.session.scalars(
            select(GroupHelpOffer)
            .where(GroupHelpOffer.group_id == group.id)
            .order_by(GroupHelpOffer.at, GroupHelpOffer.id)
        )
    )


def groups_to_suggest(champion: User) -> list[GroupMatch]:
    """Open groups in the champion's localities that they do not support, fewest champions first
    (a group nobody supports needs help most), then by name."""
    profile = db.session.scalar(select(ChampionProfile).where(ChampionProfile.user_id == champion.id))
    if profile is None or not profile.localities:
        return []
    counts = dict(
        db.session.execute(select(GroupChampion.group_id, func.count()).group_by(GroupChampion.group_id)).tuples().all()
    )
    groups = db.session.scalars(
        select(Group).where(
            Group.closed_on.is_(None),
            Group.locality_id.in_([locality.id for locality in profile.localities]),
            Group.created_by_id.is_distinct_from(champion.id),
            ~Group.champions.any(GroupChampion.user_id == champion.id),
        )
    )
    offered = {group_id for group_id, _ in _offers(user_id=champion.id)}
    matches = [
        GroupMatch(group, counts.get(group.id, 0) + (group.created_by_id is not None), group.id in offered)
        for group in groups
    ]
    matches.sort(key=lambda m: (m.champions, m.group.name.casefold()))
    return matches[:SUGGESTIONS]


def _champion_panel(champion: User, viewer: User) -> dict | None:
    if viewer.id != champion.id:
        return None
    matches = groups_to_suggest(champion)
    return {"matches": matches, "confirm_form": ConfirmForm()} if matches else None


register_champion_panel(Panel(order=10, template="groups/_champion_suggestions.html", load=_champion_panel))
