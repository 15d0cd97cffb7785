"""General meetings: the founding meeting adopts version 1; AGMs keep the group in good standing;
general meetings held with the required notice pass amendments by two-thirds of those present and voting."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...core.values.timeutils import london_today
from ...errors import RuleViolation
from ...extensions import db
from ..access import require_edit
from ..constitution.clauses import Adoption, render_clauses
from ..constitution.rules import THRESHOLD_LABELS, choices_from
from ..constitution.services import current_version, draft_differs, draft_of, draft_problems
from ..lifecycle import moving
from ..models import ConstitutionVersion, Group, GroupMeeting, GroupPerson
from .rules import passes, quorum_needed

MEETING_LABELS = {
    "founding": "founding meeting",
    "annual": "annual general meeting",
    "special": "special general meeting",
}


@dataclass(frozen=True)
class MeetingRecord:
    held_on: date
    attendee_ids: tuple[int, ...]
    notice_given_on: date | None = None
    proposer_id: int | None = None
    seconder_id: int | None = None
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


def _lock(group: Group) -> None:
    """Lock the group's row until commit, so that meetings recorded at the same moment (a double-submitted
    form) take turns and the second sees the version the first adopted (SQLite: BEGIN IMMEDIATE)."""
    db.session.execute(select(Group.id).where(Group.id == group.id).with_for_update(of=Group)).one()


def _check_date(held_on: date) -> None:
    if held_on > london_today():
        raise RuleViolation("A meeting cannot be recorded as held on a date in the future.", field="held_on")


def _check_vote(record: MeetingRecord) -> None:
    present = set(record.attendee_ids)
    if record.proposer_id not in present:
        raise RuleViolation("Choose a proposer who was at the meeting.", field="proposer_id")
    if record.seconder_id not in present:
        raise RuleViolation("Choose a seconder who was at the meeting.", field="seconder_id")
    if record.proposer_id == record.seconder_id:
        raise RuleViolation("The seconder must be a different person from the proposer.", field="seconder_id")
    if min(record.votes_for, record.votes_against, record.votes_abstain) < 0:
        raise RuleViolation("Votes cannot be negative.", field="votes_for")
    if record.votes_for + record.votes_against + record.votes_abstain > len(present):
        raise RuleViolation(
            f"There are more votes than the {len(present)} members present. Check the counts.", field="votes_for"
        )


def _check_passed(record: MeetingRecord, threshold: str, what: str) -> None:
    if not passes(record.votes_for, record.votes_against, threshold):
        voting = record.votes_for + record.votes_against
        raise RuleViolation(
            f"{what} needs {THRESHOLD_LABELS[threshold]} of the members present and voting to agree; "
            f"{record.votes_for} of {voting} voted for it. Nothing has been changed.",
            field="votes_for",
        )


def _check_notice(record: MeetingRecord, required_days: int) -> None:
    if record.notice_given_on is None:
        raise RuleViolation("Enter the date members were given notice of the meeting.", field="notice_given_on")
    given = (record.held_on - record.notice_given_on).days
    if given < required_days:
        raise RuleViolation(
            f"The constitution needs {required_days} days' notice for this meeting; members had "
            f"{max(given, 0)}. Give notice again and hold the meeting later.",
            field="notice_given_on",
        )


def _attendees(group: Group, record: MeetingRecord) -> list[GroupPerson]:
    people = list(
        db.session.scalars(
            select(GroupPerson).where(GroupPerson.group_id == group.id, GroupPerson.id.in_(set(record.attendee_ids)))
        )
    )
    if not people or len(people) != len(set(record.attendee_ids)):
        raise RuleViolation("Tick the members who were at the meeting.", field="attendee_ids")
    return people


def _check_quorum(group: Group, choices: dict, present: int) -> None:
    members = db.session.scalar(select(func.count()).select_from(GroupPerson).where(GroupPerson.group_id == group.id))
    needed = quorum_needed(choices, members or 0)
    if present < needed:
        raise RuleViolation(
            f"The meeting was not quorate: the constitution needs {needed} members present, and {present} were.",
            field="attendee_ids",
        )


def _save_meeting(
    actor: User, group: Group, kind: str, record: MeetingRecord, people: list[GroupPerson]
) -> GroupMeeting:
    meeting = GroupMeeting(
        group_id=group.id,
        kind=kind,
        held_on=record.held_on,
        notice_given_on=record.notice_given_on,
        members_present=len(people),
        proposer_id=record.proposer_id,
        seconder_id=record.seconder_id,
        votes_for=record.votes_for,
        votes_against=record.votes_against,
        votes_abstain=record.votes_abstain,
        recorded_by_id=actor.id,
        attendees=people,
    )
    db.session.add(meeting)
    db.session.flush()
    record_event(
        actor=actor,
        action="meeting.recorded",
        object_type="group",
        object_id=group.id,
        summary=f"{group.name}: {MEETING_LABELS[kind]} held on {record.held_on:%d %B %Y} recorded",
        after={
            "meeting_id": meeting.id,
            "kind": kind,
            "present": len(people),
            "for": record.votes_for,
            "against": record.votes_against,
            "abstain": record.votes_abstain,
        },
    )
    return meeting


def _freeze(group: Group, meeting: GroupMeeting, number: int, adoption: Adoption) -> ConstitutionVersion:
    choices = choices_from(draft_of(group))
    version = ConstitutionVersion(
        group_id=group.id,
        number=number,
        name=choices.name,
        choices=choices.as_dict(),
        clauses=render_clauses(choices, adoption),
        adopted_on=meeting.held_on,
        meeting_id=meeting.id,
    )
    db.session.add(version)
    group.name = choices.name  # the adopted constitution names the group
    db.session.flush()
    return version


def _person_name(people: list[GroupPerson], person_id: int | None) -> str:
    return next(person.name for person in people if person.id == person_id)


def record_founding_meeting(*, actor: User, group: Group, record: MeetingRecord) -> ConstitutionVersion:
    """Adopt the draft as version 1 (frozen). The meeting is not in the future; the proposer and a
    different seconder were present; votes do not exceed those present; two-thirds of those present and
    voting agreed. (The draft's quorum is not yet in force, so it does not apply here.)
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        _lock(group)
        if current_version(group) is not None:
            raise RuleViolation("The constitution is already adopted. Changes need a general meeting.")
        problems = draft_problems(group)
        if problems:
            raise RuleViolation("The draft breaks a rule: " + next(iter(problems.values())))
        _check_date(record.held_on)
        people = _attendees(group, record)
        _check_vote(record)
        _check_passed(record, "two_thirds", "Adopting the constitution")
        with moving("adopt_constitution", actor=actor, group=group):
            meeting = _save_meeting(actor, group, "founding", record, people)
            adoption = Adoption(
                founded_on=record.held_on,
                members_present=len(people),
                proposer=_person_name(people, record.proposer_id),
                seconder=_person_name(people, record.seconder_id),
            )
            version = _freeze(group, meeting, 1, adoption)
            record_event(
                actor=actor,
                action="constitution.adopted",
                object_type="group",
                object_id=group.id,
                summary=f"{group.name} adopted its constitution (version 1)",
                after={"version": 1},
            )
    return version


def record_annual_meeting(*, actor: User, group: Group, record: MeetingRecord) -> GroupMeeting:
    """Record an AGM held with the notice and quorum the constitution requires; the next AGM falls due
    from it. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        version = _require_adopted(group, record)
        _check_notice(record, version.choices["notice_days"])
        people = _attendees(group, record)
        _check_quorum(group, version.choices, len(people))
        with moving("hold_agm", actor=actor, group=group):
            meeting = _save_meeting(actor, group, "annual", record, people)
    return meeting


def _require_adopted(group: Group, record: MeetingRecord) -> ConstitutionVersion:
    version = current_version(group)
    if version is None:
        raise RuleViolation("Adopt the constitution at a founding meeting first.")
    _check_date(record.held_on)
    if record.held_on < version.adopted_on:
        raise RuleViolation(
            f"The meeting must be on or after {version.adopted_on:%d %B %Y}, when the current "
            "constitution was adopted.",
            field="held_on",
        )
    return version


def record_amendment_meeting(*, actor: User, group: Group, kind: str, record: MeetingRecord) -> ConstitutionVersion:
    """Adopt the proposed changes as a new version, only at a general meeting held with the amendment
    notice the constitution requires, quorate, and with two-thirds (or the constitution's higher
    threshold) of those present and voting in favour. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if kind not in ("annual", "special"):
            raise RuleViolation("Choose the kind of general meeting.", field="kind")
        _lock(group)
        version = _require_adopted(group, record)
        if not draft_differs(group, version):
            raise RuleViolation("There are no proposed changes: change the constitution's answers first.")
        _check_notice(record, version.choices["amendment_notice_days"])
        people = _attendees(group, record)
        _check_quorum(group, version.choices, len(people))
        _check_vote(record)
        _check_passed(record, version.choices["amendment_threshold"], "Changing the constitution")
        with moving("amend_constitution", actor=actor, group=group):
            meeting = _save_meeting(actor, group, kind, record, people)
            first = _first_version(group)
            proposer, seconder = first.meeting.proposer, first.meeting.seconder
            assert proposer is not None and seconder is not None  # adopting named both (_check_vote)
            adoption = Adoption(
                founded_on=first.adopted_on,
                members_present=first.meeting.members_present,
                proposer=proposer.name,
                seconder=seconder.name,
                version=version.number + 1,
                amended_on=record.held_on,
                amended_at=MEETING_LABELS[kind],
            )
            new = _freeze(group, meeting, version.number + 1, adoption)
            record_event(
                actor=actor,
                action="constitution.amended",
                object_type="group",
                object_id=group.id,
                summary=f"{group.name} amended its constitution (version {new.number})",
                before={"version": version.number},
                after={"version": new.number},
            )
    return new


def _first_version(group: Group) -> ConstitutionVersion:
    return db.session.scalars(
        select(ConstitutionVersion).where(ConstitutionVersion.group_id == group.id, ConstitutionVersion.number == 1)
    ).one()


def meetings_of(group: Group) -> list[GroupMeeting]:
    return list(
        db.session.scalars(
            select(GroupMeeting)
            .where(GroupMeeting.group_id == group.id)
            .order_by(GroupMeeting.held_on.desc(), GroupMeeting.id.desc())
        )
    )
