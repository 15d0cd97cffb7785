"""Recording general meetings: the founding meeting, AGMs, and meetings that amend the constitution."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.web.access import signed_in_scoped_too
from ...errors import RuleViolation
from ..access import group_for_editing
from ..blueprint import bp
from ..constitution.services import current_version, draft_differs
from . import services as meetings
from .forms import AmendmentMeetingForm, AnnualMeetingForm, FoundingMeetingForm, offer_people

TEMPLATE = "groups/meetings/meeting.html"


def _record(form) -> meetings.MeetingRecord:
    values = {
        name: getattr(form, name).data
        for name in (
            "held_on",
            "notice_given_on",
            "proposer_id",
            "seconder_id",
            "votes_for",
            "votes_against",
            "votes_abstain",
        )
        if hasattr(form, name)
    }
    return meetings.MeetingRecord(attendee_ids=tuple(form.attendee_ids.data), **values)


def _page(group, form, kind: str):
    return render_template(
        TEMPLATE,
        group=group,
        form=form,
        kind=kind,
        version=current_version(group),
        changed=draft_differs(group, current_version(group)),
    )


@bp.route("/<int:group_id>/meetings/founding", methods=["GET", "POST"])
@signed_in_scoped_too
def founding_meeting(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = offer_people(FoundingMeetingForm(), group.people)
    if form.validate_on_submit():
        try:
            meetings.record_founding_meeting(actor=current_user, group=group, record=_record(form))
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The constitution is adopted as version 1. Print it for the chair and secretary to sign.", "success")
            return redirect(url_for("groups.version", group_id=group.id, number=1))
    return _page(group, form, "founding")


@bp.route("/<int:group_id>/meetings/annual", methods=["GET", "POST"])
@signed_in_scoped_too
def annual_meeting(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = offer_people(AnnualMeetingForm(), group.people)
    if form.validate_on_submit():
        try:
            meetings.record_annual_meeting(actor=current_user, group=group, record=_record(form))
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The annual general meeting is recorded.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return _page(group, form, "annual")


@bp.route("/<int:group_id>/meetings/amendment", methods=["GET", "POST"])
@signed_in_scoped_too
def amendment_meeting(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = offer_people(AmendmentMeetingForm(), group.people)
    if form.validate_on_submit():
        try:
            new = meetings.record_amendment_meeting(
                actor=current_user, group=group, kind=form.kind.data, record=_record(form)
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The changes are adopted as version {new.number}.", "success")
            return redirect(url_for("groups.compare", group_id=group.id, old=new.number - 1, new=new.number))
    return _page(group, form, "amendment")
