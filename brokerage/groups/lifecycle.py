"""A group's life, in one place: every stage a group can be in, every move that can change it (who
may make it, and from which stages), and the code that works the stage out and audits each change.

A group's stage is never stored: it is worked out from the group's records (`rules.stage`), so a
move is an action on those records. Every action that may change the stage consults `MOVES`
through `moving(...)`: it names its move, is refused when the group is in a stage the move does
not start from, and has the stage change audited when the stage moved on (or back).

| stage       | the group is in it when                                                        |
| ----------- | ------------------------------------------------------------------------------ |
| forming     | no constitution is adopted yet                                                 |
| constituted | adopted, but no bank account open in the constitution's name and no host       |
| banked      | its own account is open in the constitution's name; the checklist is not done  |
| hosted      | a partner holds its money under an approved, current agreement; not all done   |
| active      | every readiness item is done                                                   |
| dormant     | its annual general meeting is overdue                                          |
| closed      | a coordinator recorded that it closed; its records stay as they were           |

Two changes need nobody: an AGM falling overdue makes a group dormant, and a hosting agreement
passing its expiry date stops it counting as hosted.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.services import record_event
from ..core.values.timeutils import london_today
from ..errors import RuleViolation
from ..extensions import db
from ..partners.models import Partner
from .models import ConstitutionVersion, Group, GroupMeeting, GroupOfficer, GroupPerson, GroupRelationship, Hosting
from .rules import Facts, Item, checklist, next_agm_due, stage

STAGE_LABELS = {
    "forming": "Forming",
    "constituted": "Constituted",
    "banked": "Bank account open",
    "hosted": "Hosted by a partner",
    "active": "Active",
    "dormant": "Dormant",
    "closed": "Closed",
}
STAGES = tuple(STAGE_LABELS)
OPEN = ("forming", "constituted", "banked", "hosted", "active", "dormant")
ADOPTED = ("constituted", "banked", "hosted", "active", "dormant")

EDITORS = "coordinators, the group's supporting champions, its chair, secretary or treasurer"
HOST = "the hosting partner's own people, or a coordinator"


@dataclass(frozen=True)
class Move:
    """An action that may change a group's stage: who may make it, from which stages, and where."""

    name: str
    who: str
    from_stages: tuple[str, ...]
    action: str


MOVES: dict[str, Move] = {
    move.name: move
    for move in (
        Move("start", "coordinators and champions", (), "services.create_group (the group starts forming)"),
        Move("adopt_constitution", EDITORS, ("forming",), "meetings.services.record_founding_meeting"),
        Move("hold_agm", EDITORS, ADOPTED, "meetings.services.record_annual_meeting"),
        Move("amend_constitution", EDITORS, ADOPTED, "meetings.services.record_amendment_meeting"),
        Move("change_committee", EDITORS, OPEN, "people.services.set_committee_and_signatories"),
        Move("change_officers", EDITORS, OPEN, "people.services.set_officers"),
        Move("declare_relationship", EDITORS, OPEN, "people.services.declare_relationship"),
        Move("withdraw_relationship", EDITORS, OPEN, "people.services.withdraw_relationship"),
        Move("record_bank_account", EDITORS, OPEN, "services.set_bank_account"),
        Move("record_safeguarding", EDITORS, OPEN, "services.record_safeguarding_policy"),
        # The host decides on the application it holds and ends hosting whatever the group's stage.
        Move("approve_hosting", HOST, STAGES, "hosting.services.approve_hosting"),
        Move("graduate", HOST, STAGES, "hosting.services.graduate"),
        Move("close", "coordinators", OPEN, "services.close_group (the group is closed)"),
    )
}


@dataclass(frozen=True)
class Readiness:
    items: list[Item]
    stage: str
    next_agm_due: date | None

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)


def _grouped(rows) -> dict[int, list]:
    """Rows whose first column is the group id, by group id."""
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def facts_for_many(groups: list[Group]) -> dict[int, Facts]:
    """Every group's facts in a fixed number of queries (lists of groups do not grow N+1)."""
    ids = [group.id for group in groups]
    versions = {
        v.group_id: v
        for v in db.session.scalars(
            select(ConstitutionVersion)
            .where(ConstitutionVersion.group_id.in_(ids))
            .order_by(ConstitutionVersion.number)
        )
    }
    people = _grouped(
        db.session.execute(
            select(GroupPerson.group_id, GroupPerson.id, GroupPerson.on_committee, GroupPerson.is_signatory).where(
                GroupPerson.group_id.in_(ids)
            )
        )
    )
    offices = _grouped(
        db.session.execute(
            select(GroupOfficer.group_id, GroupOfficer.office, GroupPerson.name, GroupPerson.id)
            .join(GroupPerson, GroupOfficer.person_id == GroupPerson.id)
            .where(GroupOfficer.group_id.in_(ids))
        )
    )
    related = _grouped(
        db.session.execute(
            select(
                GroupRelationship.group_id,
                GroupRelationship.person_a_id,
                GroupRelationship.person_b_id,
                GroupRelationship.kind,
            ).where(GroupRelationship.group_id.in_(ids))
        )
    )
    annual = dict(
        db.session.execute(
            select(GroupMeeting.group_id, func.max(GroupMeeting.held_on))
            .where(GroupMeeting.group_id.in_(ids), GroupMeeting.kind.in_(("founding", "annual")))
            .group_by(GroupMeeting.group_id)
        )
        .tuples()
        .all()
    )
    today = london_today()
    hosts = dict(
        db.session.execute(
            select(Hosting.group_id, Partner.name)
            .join(Partner)
            .where(
                Hosting.group_id.in_(ids),
                Hosting.status == "approved",
                Hosting.starts_on <= today,
                Hosting.expires_on >= today,
            )
        )
        .tuples()
        .all()
    )
    return {
        group.id: Facts(
            adopted_name=versions[group.id].name if group.id in versions else None,
            choices=versions[group.id].choices if group.id in versions else None,
            committee=tuple(pid for _, pid, committee, _ in people[group.id] if committee),
            signatories=tuple(pid for _, pid, _, signatory in people[group.id] if signatory),
            relationships=tuple((a, b, kind) for _, a, b, kind in related[group.id]),
            offices={office: name for _, office, name, _ in offices[group.id]},
            office_holders={office: person_id for _, office, _, person_id in offices[group.id]},
            safeguarding_policy_on=group.safeguarding_policy_on,
            bank_status=group.bank_status,
            bank_account_name=group.bank_account_name,
            last_annual_meeting_on=annual.get(group.id),
            closed_on=group.closed_on,
            hosted_by=hosts.get(group.id),
        )
        for group in groups
    }


def facts_for(group: Group) -> Facts:
    return facts_for_many([group])[group.id]


def _readiness(facts: Facts, today: date) -> Readiness:
    return Readiness(items=checklist(facts, today), stage=stage(facts, today), next_agm_due=next_agm_due(facts))


def readiness_for_many(groups: list[Group]) -> dict[int, Readiness]:
    today = london_today()
    return {group_id: _readiness(facts, today) for group_id, facts in facts_for_many(groups).items()}


def readiness_for(group: Group) -> Readiness:
    return _readiness(facts_for(group), london_today())


def stage_of(group: Group) -> str:
    return stage(facts_for(group), london_today())


def note_stage_change(*, actor: User | None, group: Group, before: str) -> None:
    """Audit the derived stage when a change moved the group on (or back)."""
    db.session.flush()
    after = stage_of(group)
    if after != before:
        record_event(
            actor=actor,
            action="group.stage_changed",
            object_type="group",
            object_id=group.id,
            summary=f"{group.name} is now {STAGE_LABELS[after].lower()} (was {STAGE_LABELS[before].lower()})",
            before={"stage": before},
            after={"stage": after},
        )


@contextmanager
def moving(move: str, *, actor: User | None, group: Group) -> Iterator[str]:
    """Make one of the `MOVES`: refused unless the group is in a stage it starts from; the block
    changes the group's records; afterwards the stage change, if any, is audited. Yields the stage
    the group was in. (Who may make the move is checked by the action, before it gets here.)"""
    before = stage_of(group)
    if before not in MOVES[move].from_stages:
        raise RuleViolation(f"This cannot be done while the group is {STAGE_LABELS[before].lower()}.")
    yield before
    note_stage_change(actor=actor, group=group, before=before)
