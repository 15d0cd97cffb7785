"""Gathering a group's facts from the database for the readiness checklist and its stage."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..accounts.models import User
from ..audit.services import record_event
from ..core.timeutils import london_today
from ..extensions import db
from ..partners.models import Partner
from .hosting_models import Hosting
from .models import ConstitutionVersion, Group, GroupMeeting, GroupOfficer, GroupPerson, GroupRelationship
from .readiness import STAGE_LABELS, Facts, Item, checklist, next_agm_due, stage


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


def current_version(group: Group) -> ConstitutionVersion | None:
    return db.session.scalar(select(ConstitutionVersion).where(ConstitutionVersion.group_id == group.id)
                             .order_by(ConstitutionVersion.number.desc()).limit(1))


def declared_relationships(group_id: int) -> tuple[tuple[int, int, str], ...]:
    rows = db.session.execute(select(GroupRelationship.person_a_id, GroupRelationship.person_b_id,
                                     GroupRelationship.kind).where(GroupRelationship.group_id == group_id))
    return tuple((a, b, kind) for a, b, kind in rows)


def _grouped(rows) -> dict[int, list]:
    """Rows whose first column is the group id, by group id."""
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def facts_for_many(groups: list[Group]) -> dict[int, Facts]:
    """Every group's facts in a fixed number of queries (lists of groups do not grow N+1)."""
    ids = [group.id for group in groups]
    versions = {v.group_id: v for v in db.session.scalars(select(ConstitutionVersion).where(
        ConstitutionVersion.group_id.in_(ids)).order_by(ConstitutionVersion.number))}
    people = _grouped(db.session.execute(select(GroupPerson.group_id, GroupPerson.id, GroupPerson.on_committee,
                                                GroupPerson.is_signatory).where(GroupPerson.group_id.in_(ids))))
    offices = _grouped(db.session.execute(select(GroupOfficer.group_id, GroupOfficer.office, GroupPerson.name)
                                          .join(GroupPerson, GroupOfficer.person_id == GroupPerson.id)
                                          .where(GroupOfficer.group_id.in_(ids))))
    related = _grouped(db.session.execute(select(GroupRelationship.group_id, GroupRelationship.person_a_id,
                                                 GroupRelationship.person_b_id, GroupRelationship.kind)
                                          .where(GroupRelationship.group_id.in_(ids))))
    annual = dict(db.session.execute(select(GroupMeeting.group_id, func.max(GroupMeeting.held_on)).where(
        GroupMeeting.group_id.in_(ids), GroupMeeting.kind.in_(("founding", "annual"))).group_by(GroupMeeting.group_id)).all())
    today = london_today()
    hosts = dict(db.session.execute(select(Hosting.group_id, Partner.name).join(Partner).where(
        Hosting.group_id.in_(ids), Hosting.status == "approved", Hosting.starts_on <= today,
        Hosting.expires_on >= today)).all())
    return {group.id: Facts(
        adopted_name=versions[group.id].name if group.id in versions else None,
        choices=versions[group.id].choices if group.id in versions else None,
        committee=tuple(pid for _, pid, committee, _ in people[group.id] if committee),
        signatories=tuple(pid for _, pid, _, signatory in people[group.id] if signatory),
        relationships=tuple((a, b, kind) for _, a, b, kind in related[group.id]),
        offices={office: name for _, office, name in offices[group.id]},
        safeguarding_policy_on=group.safeguarding_policy_on, bank_status=group.bank_status,
        bank_account_name=group.bank_account_name, last_annual_meeting_on=annual.get(group.id),
        closed_on=group.closed_on, hosted_by=hosts.get(group.id)) for group in groups}


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
        record_event(actor=actor, action="group.stage_changed", object_type="group", object_id=group.id,
                     summary=f"{group.name} is now {STAGE_LABELS[after].lower()} (was {STAGE_LABELS[before].lower()})",
                     before={"stage": before}, after={"stage": after})
