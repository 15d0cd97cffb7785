"""The constitution builder (one question per page), the printable text, and version comparison."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.web.access import signed_in_scoped_too
from ...core.web.converters import MAX_ID
from ...errors import NotFound, RuleViolation
from ..access import can_edit, group_for_editing, group_for_viewing
from ..blueprint import bp
from . import services as drafting
from .forms import QUESTION_FORMS
from .rules import QUESTION_BY_SLUG, QUESTIONS, choices_from, next_question, quorum_warning


@bp.route("/<int:group_id>/constitution")
@signed_in_scoped_too
def constitution(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    draft, version = drafting.draft_of(group), drafting.current_version(group)
    return render_template(
        "groups/constitution/index.html",
        group=group,
        questions=QUESTIONS,
        answered=set(draft.answered or []),
        version=version,
        versions=drafting.versions_of(group),
        changed=drafting.draft_differs(group, version),
        can_edit=can_edit(current_user, group),
    )


@bp.route("/<int:group_id>/constitution/questions/<slug>", methods=["GET", "POST"])
@signed_in_scoped_too
def question(group_id: int, slug: str):
    group = group_for_editing(actor=current_user, group_id=group_id)
    if slug not in QUESTION_BY_SLUG:
        raise NotFound()
    form = QUESTION_FORMS[slug](obj=drafting.draft_of(group))
    if form.validate_on_submit():
        answers = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        try:
            drafting.save_answer(actor=current_user, group=group, question=slug, answers=answers)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            following = next_question(slug)
            if following:
                return redirect(url_for("groups.question", group_id=group.id, slug=following.slug))
            flash("All the questions are answered. Read the whole constitution below.", "success")
            return redirect(url_for("groups.draft", group_id=group.id))
    position = [q.slug for q in QUESTIONS].index(slug) + 1
    warning = quorum_warning(choices_from(drafting.draft_of(group)), len(group.people)) if slug == "quorum" else None
    if warning and warning[1] and request.method == "GET":
        form.quorum_minimum.data = warning[1]  # proposed, in the box, for the group to save or change
    return render_template(
        "groups/constitution/question.html",
        group=group,
        form=form,
        question=QUESTION_BY_SLUG[slug],
        position=position,
        total=len(QUESTIONS),
        warning=warning,
    )


@bp.route("/<int:group_id>/constitution/draft")
@signed_in_scoped_too
def draft(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    return render_template(
        "groups/constitution/text.html",
        group=group,
        clauses=drafting.draft_clauses(group),
        version=None,
        name=drafting.draft_of(group).name,
        problems=drafting.draft_problems(group),
    )


@bp.route("/<int:group_id>/constitution/versions/<int:number>")
@signed_in_scoped_too
def version(group_id: int, number: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    adopted = drafting.version_for_viewing(actor=current_user, group=group, number=number)
    return render_template(
        "groups/constitution/text.html",
        group=group,
        clauses=adopted.clauses,
        version=adopted,
        name=adopted.name,
        problems={},
    )


@bp.route("/<int:group_id>/constitution/compare")
@signed_in_scoped_too
def compare(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    if old is None or new is None or not (0 <= old <= MAX_ID and 0 <= new <= MAX_ID):
        raise NotFound()
    changes = drafting.compare_versions(actor=current_user, group=group, old=old, new=new)
    return render_template("groups/constitution/compare.html", group=group, changes=changes, old=old, new=new)
