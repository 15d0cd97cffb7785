"""The constitution builder's services: answering questions, previewing, and reading versions."""

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import unit_of_work
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ..access import require_edit, require_view
from ..models import ConstitutionDraft, ConstitutionVersion, Group
from .clauses import render_clauses
from .compare import ClauseChange, compare_clauses
from .rules import QUESTION_BY_SLUG, choices_from, rule_problems, with_answers


def current_version(group: Group) -> ConstitutionVersion | None:
    """The constitution in force: the latest adopted version, if any."""
    return db.session.scalar(
        select(ConstitutionVersion)
        .where(ConstitutionVersion.group_id == group.id)
        .order_by(ConstitutionVersion.number.desc())
        .limit(1)
    )


def draft_of(group: Group) -> ConstitutionDraft:
    draft = db.session.scalar(select(ConstitutionDraft).where(ConstitutionDraft.group_id == group.id))
    if draft is None:
        raise NotFound()
    return draft


def save_answer(*, actor: User, group: Group, question: str, answers: dict) -> ConstitutionDraft:
    """Save one question's answers. A choice that breaks a rule (domain.md section 3) is refused with
    the reason, on its field. Raises NotFound, PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        if question not in QUESTION_BY_SLUG:
            raise NotFound()
        asked = QUESTION_BY_SLUG[question].fields
        draft = draft_of(group)
        before = choices_from(draft)
        proposed = with_answers(before, {key: answers[key] for key in asked if key in answers})
        for field, reason in rule_problems(proposed).items():
            if field in asked:
                raise RuleViolation(reason, field=field)
        for key in asked:
            setattr(draft, key, getattr(proposed, key))
        draft.answered = sorted(set(draft.answered or []) | {question})
        changed = {key: getattr(proposed, key) for key in asked if getattr(before, key) != getattr(proposed, key)}
        record_event(
            actor=actor,
            action="constitution.answer_saved",
            object_type="group",
            object_id=group.id,
            summary=f"{group.name}: constitution question \u201c{question}\u201d answered",
            before={key: getattr(before, key) for key in changed},
            after=changed,
        )
    return draft


def draft_clauses(group: Group) -> list[dict]:
    return render_clauses(choices_from(draft_of(group)))


def draft_problems(group: Group) -> dict[str, str]:
    """Rules the draft breaks as it stands (none, unless the rules changed after it was saved)."""
    return rule_problems(choices_from(draft_of(group)))


def versions_of(group: Group) -> list[ConstitutionVersion]:
    return list(
        db.session.scalars(
            select(ConstitutionVersion)
            .where(ConstitutionVersion.group_id == group.id)
            .order_by(ConstitutionVersion.number)
        )
    )


def version_for_viewing(*, actor: User, group: Group, number: int) -> ConstitutionVersion:
    """An adopted version, if `actor` may see the group. Raises NotFound, PermissionDenied."""
    require_view(actor, group)
    version = db.session.scalar(
        select(ConstitutionVersion).where(
            ConstitutionVersion.group_id == group.id, ConstitutionVersion.number == number
        )
    )
    if version is None:
        raise NotFound()
    return version


def compare_versions(*, actor: User, group: Group, old: int, new: int) -> list[ClauseChange]:
    """The clauses that differ between two adopted versions. Raises NotFound, PermissionDenied."""
    before = version_for_viewing(actor=actor, group=group, number=old)
    after = version_for_viewing(actor=actor, group=group, number=new)
    return compare_clauses(before.clauses, after.clauses)


def draft_differs(group: Group, version: ConstitutionVersion | None) -> bool:
    return version is None or choices_from(draft_of(group)).as_dict() != version.choices
