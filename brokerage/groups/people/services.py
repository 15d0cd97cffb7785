"""A group's people: members (with or without accounts), committee, signatories, officers and
declared relationships. Every change is audited and may move the group's stage on."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from ...accounts.models import User
from ...accounts.services import add_invited_account, find_user_by_email
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.roles import Role
from ...core.values.timeutils import london_today
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..access import can_give_accounts, is_supporting_champion, require_edit
from ..constitution.services import current_version
from ..lifecycle import moving
from ..models import OFFICES, RELATIONSHIP_KINDS, Group, GroupOfficer, GroupPerson, GroupRelationship
from ..rules import officer_problems

OFFICE_LABELS = {"chair": "Chair", "secretary": "Secretary", "treasurer": "Treasurer", "welfare_lead": "Welfare lead"}
KIND_LABELS = {"family": "Family", "partners": "Partners", "same_address": "Live at the same address"}


@dataclass(frozen=True)
class NewPerson:
    name: str
    contact: str | None
    consent_given: bool
    consent_on: date | None
    account_email: str | None = None


def person_in(group: Group, person_id: int | None) -> GroupPerson:
    person = db.session.get(GroupPerson, person_id) if person_id else None
    if person is None or person.group_id != group.id:
        raise NotFound()
    return person


def _account(actor: User, group: Group, email: str | None) -> User | None:
    """Linking an account gives its holder sight of the group, so only staff-side supporters may do it
    (this also keeps officers from probing which email addresses have accounts)."""
    if not email:
        return None
    if not (actor.is_coordinator or is_supporting_champion(actor, group)):
        raise RuleViolation(
            "Ask the group's champion or a coordinator to link a member's account.", field="account_email"
        )
    user = find_user_by_email(email)
    if user is None:
        raise RuleViolation(
            "No account uses that email address. Leave it empty if the person has no account.", field="account_email"
        )
    return user


def _check_consent(new: NewPerson) -> None:
    if new.consent_given and new.consent_on is None:
        raise RuleViolation("Enter the date the person agreed.", field="consent_on")
    if new.consent_on and new.consent_on > london_today():
        raise RuleViolation("The date they agreed cannot be in the future.", field="consent_on")
    if new.contact and not new.consent_given:
        raise RuleViolation(
            "Only keep contact details if the person has agreed. Tick the box or remove them.", field="contact"
        )


def add_person(*, actor: User, group: Group, new: NewPerson) -> GroupPerson:
    """Add a member; before adoption they are a founding member. Contact details need consent (with its
    date); an account is linked by its email, by a coordinator or supporting champion only.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        _check_consent(new)
        user = _account(actor, group, new.account_email)
        person = GroupPerson(
            group_id=group.id,
            name=new.name,
            contact=new.contact or None,
            user_id=user.id if user else None,
            consent_given=new.consent_given,
            consent_on=new.consent_on if new.consent_given else None,
            founding=current_version(group) is None,
        )
        with refused_as(Conflict("That account is already a member of this group.", field="account_email")):
            db.session.add(person)
        record_event(
            actor=actor,
            action="group.member_added",
            object_type="group",
            object_id=group.id,
            summary=f"Added {person.name} to {group.name}",
            after={"person_id": person.id, "founding": person.founding, "consent": person.consent_given},
        )
    return person


def set_committee_and_signatories(
    *, actor: User, group: Group, committee_ids: set[int], signatory_ids: set[int]
) -> None:
    """Choose who is on the committee and who is a bank signatory. Officers stay on the committee.
    Raises NotFound (a person from another group), PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        people = {person.id: person for person in group.people}
        if not (committee_ids | signatory_ids) <= people.keys():
            raise NotFound()
        officer_ids = set(db.session.scalars(select(GroupOfficer.person_id).where(GroupOfficer.group_id == group.id)))
        dropped = sorted(people[pid].name for pid in officer_ids - committee_ids)
        if dropped:
            raise RuleViolation(f"{dropped[0]} is an officer, so stays on the committee.", field="committee_ids")
        with moving("change_committee", actor=actor, group=group):
            before = _roles_snapshot(people.values())
            for person in people.values():
                person.on_committee, person.is_signatory = person.id in committee_ids, person.id in signatory_ids
            record_event(
                actor=actor,
                action="group.roles_changed",
                object_type="group",
                object_id=group.id,
                summary=f"{group.name}: committee and signatories changed",
                before=before,
                after=_roles_snapshot(people.values()),
            )


def _roles_snapshot(people) -> dict:
    return {
        "committee": sorted(p.id for p in people if p.on_committee),
        "signatories": sorted(p.id for p in people if p.is_signatory),
    }


def officers_of(group: Group) -> dict[str, GroupOfficer]:
    return {
        officer.office: officer
        for officer in db.session.scalars(select(GroupOfficer).where(GroupOfficer.group_id == group.id))
    }


def set_officers(*, actor: User, group: Group, holders: dict[str, int | None]) -> None:
    """Fill (or empty) the offices; each officer joins the committee. Each change is audited. The
    chair, secretary and treasurer are three different people, and the chair and treasurer are not
    related (`rules.officer_problems`). Raises NotFound, PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if not set(holders) <= set(OFFICES):
            raise NotFound()
        current = officers_of(group)
        proposed: dict[str, int | None] = {office: held.person_id for office, held in current.items()}
        proposed.update({office: person_id or None for office, person_id in holders.items()})
        wanted = {office: person_in(group, pid).id for office, pid in proposed.items() if pid}
        problems = officer_problems(wanted, declared_relationships(group.id), {p.id: p.name for p in group.people})
        if problems:
            office, reason = next(iter(problems.items()))
            raise RuleViolation(reason, field=office)
        with moving("change_officers", actor=actor, group=group):
            for office, person_id in holders.items():
                held = current.get(office)
                if (held.person_id if held else None) != (person_id or None):
                    _change_office(actor, group, office, held, person_in(group, person_id) if person_id else None)


def _change_office(
    actor: User, group: Group, office: str, held: GroupOfficer | None, person: GroupPerson | None
) -> None:
    if held is not None:
        db.session.delete(held)
        db.session.flush()
    if person is not None:
        person.on_committee = True
        db.session.add(GroupOfficer(group_id=group.id, office=office, person_id=person.id))
    label = OFFICE_LABELS[office].lower()
    record_event(
        actor=actor,
        action="group.officer_changed",
        object_type="group",
        object_id=group.id,
        summary=f"{group.name}: {label} {'is now ' + person.name if person else 'left empty'}",
        before={"office": office, "person_id": held.person_id if held else None},
        after={"office": office, "person_id": person.id if person else None},
    )


def declare_relationship(*, actor: User, group: Group, first_id: int, second_id: int, kind: str) -> None:
    """Declare that two members are family, partners or live at the same address, so that
    'unrelated' can be worked out (a chair and treasurer found related show on the checklist).
    Raises NotFound, PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if kind not in RELATIONSHIP_KINDS:
            raise RuleViolation("Choose how they are related.", field="kind")
        if not first_id or not second_id:
            raise RuleViolation("Choose two people.", field="second_id" if first_id else "first_id")
        first, second = person_in(group, first_id), person_in(group, second_id)
        if first.id == second.id:
            raise RuleViolation("Choose two different people.", field="second_id")
        low, high = sorted((first.id, second.id))
        with moving("declare_relationship", actor=actor, group=group):
            with refused_as(Conflict("That relationship is already declared.", field="second_id")):
                db.session.add(GroupRelationship(group_id=group.id, person_a_id=low, person_b_id=high, kind=kind))
            record_event(
                actor=actor,
                action="group.relationship_declared",
                object_type="group",
                object_id=group.id,
                summary=f"{first.name} and {second.name}: {KIND_LABELS[kind].lower()}",
                after={"people": [low, high], "kind": kind},
            )


def withdraw_relationship(*, actor: User, group: Group, relationship_id: int) -> None:
    """Remove a declaration made in error. Raises NotFound, PermissionDenied."""
    with unit_of_work():
        require_edit(actor, group)
        row = db.session.get(GroupRelationship, relationship_id)
        if row is None or row.group_id != group.id:
            raise NotFound()
        with moving("withdraw_relationship", actor=actor, group=group):
            summary = f"Withdrew: {row.person_a.name} and {row.person_b.name} ({KIND_LABELS[row.kind].lower()})"
            before = {"people": [row.person_a_id, row.person_b_id], "kind": row.kind}
            db.session.delete(row)
            record_event(
                actor=actor,
                action="group.relationship_withdrawn",
                object_type="group",
                object_id=group.id,
                summary=summary,
                before=before,
            )


def relationships_of(group: Group) -> list[GroupRelationship]:
    return list(
        db.session.scalars(
            select(GroupRelationship).where(GroupRelationship.group_id == group.id).order_by(GroupRelationship.id)
        )
    )


def declared_relationships(group_id: int) -> tuple[tuple[int, int, str], ...]:
    rows = db.session.execute(
        select(GroupRelationship.person_a_id, GroupRelationship.person_b_id, GroupRelationship.kind).where(
            GroupRelationship.group_id == group_id
        )
    )
    return tuple((a, b, kind) for a, b, kind in rows)


ONE_RECORD = (
    "That account is already linked to another person in this group. One person has one record: "
    "link the account to the record the group uses for them."
)


@dataclass(frozen=True)
class AccountGiven:
    user: User
    token: str | None  # the set-password link's token when an account was made; None when one was linked


def give_account(*, actor: User, group: Group, person_id: int, email: str, now: datetime) -> AccountGiven:
    """Give a person who runs the group an account: an existing account with this email is linked to
    their record; otherwise a group organiser's account is made and its set-password link emailed.
    A record has at most one account and an account at most one record in the group, so approvals
    and claims always know who is who. Coordinators and supporting champions only.
    Raises NotFound, PermissionDenied, RuleViolation."""
    with unit_of_work():
        if not can_give_accounts(actor, group):
            raise PermissionDenied()
        if not person_id:
            raise RuleViolation("Choose the person.", field="person_id")
        person = person_in(group, person_id)
        if person.user_id is not None:
            raise RuleViolation(f"{person.name} already has an account linked.", field="person_id")
        user, token = find_user_by_email(email), None
        if user is not None and not user.active:
            raise RuleViolation("That account is switched off. Ask a coordinator to reactivate it.", field="email")
        if user is None:
            user, token = add_invited_account(
                actor=actor,
                email=email,
                name=person.name,
                roles=[Role.GROUP_ORGANISER],
                now=now,
                why=f"{actor.name} made an account for you to help run {group.name}.",
            )
        with refused_as(Conflict(ONE_RECORD, field="email")):
            person.user_id = user.id
            db.session.flush()
        record_event(
            actor=actor,
            action="group.account_linked",
            object_type="group",
            object_id=group.id,
            summary=f"{person.name} {'was invited to an account' if token else 'has their account linked'} "
            f"for {group.name}",
            after={"person_id": person.id, "user_id": user.id, "invited": token is not None},
        )
    return AccountGiven(user=user, token=token)
