"""Vote pages: opening a vote on a bid, the poll page (interests question, ballot), assisted
votes, meeting mode, the list of votes, and the printable decision record (page and CSV); the
votes on the bid page (a panel, bids/pages.py); the to-do list on the starting page and on "Your
bids" (panels: votes to cast, bids returned for changes or with questions to answer).

Before any page that shows votes (this blueprint's, the bid page, the collectives pages) the
request settles due votes in one named step (`settle_due_votes_first`), so the pages only read."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required, signed_in
from ...core.web.pages import register_dashboard_panel
from ...core.web.panels import Panel
from ...errors import PermissionDenied, RuleViolation
from ..bids import access as bids
from ..bids import services as bid_services
from ..bids.pages import panels, register_panel
from ..bids.views import bp as bids_bp
from ..members import membership
from . import access as polls
from . import ballots as poll_voting
from . import closing as poll_closing
from . import opening as poll_opening
from . import pages as poll_pages
from . import planning as poll_planning
from . import rule_sets
from .forms import (
    AssistedVoteForm,
    AttendanceForm,
    BallotForm,
    DeclarationForm,
    HandOverForm,
    MeetingVoteForm,
    OpenVoteForm,
    RuleSetForm,
    WithdrawForm,
    answers_form,
)
from .rules import DEFAULT_RULES, split_questions

bp = Blueprint("polls", __name__)
HELPERS = (Role.COORDINATOR, Role.COLLECTIVE_MEMBER)  # chairs are members; services check the chair


OWN_WINDOW_CHECKED = frozenset({"polls.vote", "polls.declare"})


def settle_due_votes_first() -> None:
    """Before the request's read-only work: close the votes that are due and land their
    decisions, in their own write transaction (`closing.settle_due_votes`), so that closing
    never depends on cron and the pages and GET views after it never write. A member's own
    vote or answer (OWN_WINDOW_CHECKED) skips it: it shows no page, touches no other poll,
    and its service refuses it once its own poll's window has ended; the page it redirects to settles."""
    if request.endpoint not in OWN_WINDOW_CHECKED:
        poll_closing.settle_due_votes(now=utcnow())


bp.before_request(settle_due_votes_first)
bids_bp.before_request(settle_due_votes_first)  # the bid page shows its votes
register_panel("bid", lambda viewer, bid: {"votes": poll_pages.bid_votes(viewer=viewer, bid=bid)})
register_panel("your_bids", lambda viewer: {"to_do": poll_pages.to_do(viewer=viewer, now=utcnow())})


def _to_do(_subject, viewer) -> dict | None:
    to_do = poll_pages.to_do(viewer=viewer, now=utcnow())
    return {"to_do": to_do} if to_do else None


register_dashboard_panel(Panel(10, "collectives/_to_do.html", _to_do))  # the starting page's to-do list


def _to_poll(poll_id: int):
    return redirect(url_for("polls.show", poll_id=poll_id))


def _poll(poll_id: int):
    return polls.poll_for_viewing(actor=current_user, poll_id=poll_id, day=london_today(utcnow()))


def _managed(poll_id: int):
    return polls.poll_for_managing(actor=current_user, poll_id=poll_id, day=london_today(utcnow()))


def _status(form) -> int:
    return 400 if form.errors or form.form_errors else 200


@bp.route("/bids/<int:bid_id>/vote/open", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def open_vote(bid_id: int):
    form = OpenVoteForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            poll_id = poll_opening.open_vote_on(
                actor=current_user,
                bid_id=bid_id,
                now=now,
                closes_at=polls.default_closing(now, int(form.days.data) * 24),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            if poll_id is None:
                flash("There is not enough money available yet, so the bid is waiting for funds.", "error")
                return redirect(url_for("bids.show", bid_id=bid_id))
            flash("The vote is open. Members have been asked about connections first.", "success")
            return _to_poll(poll_id)
    bid = bids.get_bid(bid_id)
    return render_template(
        "collectives/voting/open.html", bid=bid, form=form, award=poll_planning.award_for(bid, london_today(utcnow()))
    ), _status(form)


@bp.route("/bids/<int:bid_id>/vote/withdraw", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.PARTNER_CONTACT)
def withdraw(bid_id: int):
    """Withdrawing during a vote cannot be undone, so it asks first, with a reason the members see."""
    bid = bids.get_bid(bid_id)
    votes = poll_pages.bid_votes(viewer=current_user, bid=bid)
    if not votes.can_withdraw:
        raise PermissionDenied()
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            poll_closing.withdraw_during_vote(actor=current_user, bid=bid, reason=form.reason.data, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(
                "The bid has been withdrawn and its vote is void. The members have been told why; "
                "a coordinator can return it to you for changes.",
                "success",
            )
            return redirect(url_for("bids.show", bid_id=bid.id))
    return render_template("collectives/voting/withdraw.html", bid=bid, form=form), _status(form)


@bp.route("/polls/<int:poll_id>")
@signed_in
def show(poll_id: int):
    page = poll_pages.poll_page(viewer=current_user, poll=_poll(poll_id), now=utcnow())
    earlier = {"choice": page.vote.choice, "comment": page.vote.comment} if page.vote else {}
    return render_template(
        "collectives/voting/show.html",
        page=page,
        declaration_form=DeclarationForm(),
        ballot_form=BallotForm(data=earlier),
    )


def _poll_form(poll_id: int, form, template: str, action, **context):
    """Shared shape of a member's own posts to a poll (their answer, their vote): validate, call
    the service, show errors on the page. The service finds and locks the poll and refuses anyone
    outside the electorate, so the poll is read here only to show the page again with errors
    (after settling due votes, which these posts skip: OWN_WINDOW_CHECKED)."""
    if form.validate_on_submit():
        try:
            message = action()
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(message, "success")
            return _to_poll(poll_id)
    poll_closing.settle_due_votes(now=utcnow())  # the page shows a vote whose window has just ended as decided
    page = poll_pages.poll_page(viewer=current_user, poll=_poll(poll_id), now=utcnow())
    forms = {"declaration_form": DeclarationForm(), "ballot_form": BallotForm(), **context, template: form}
    return render_template("collectives/voting/show.html", page=page, **forms), _status(form)


@bp.route("/polls/<int:poll_id>/declare", methods=["POST"])
@signed_in
def declare(poll_id: int):
    form = DeclarationForm()

    def act():
        elector = poll_voting.declare(actor=current_user, poll_id=poll_id, interest=form.interest_text(), now=utcnow())
        return (
            "Thank you. Your connection is recorded, and you will not vote on this bid."
            if elector.recused
            else "Thank you. You can now vote."
        )

    return _poll_form(poll_id, form, "declaration_form", act)


@bp.route("/polls/<int:poll_id>/vote", methods=["POST"])
@signed_in
def vote(poll_id: int):
    form = BallotForm()

    def act():
        if not poll_voting.cast_vote(actor=current_user, poll_id=poll_id, ballot=form.ballot(), now=utcnow()).closed:
            return "Your vote is recorded. You can change it until the vote closes."
        return "Your vote is recorded. It was the last vote needed, so the vote has closed: the decision is below."

    return _poll_form(poll_id, form, "ballot_form", act)


@bp.route("/polls/<int:poll_id>/assisted", methods=["GET", "POST"])
@roles_required(*HELPERS)
def assisted(poll_id: int):
    poll = _managed(poll_id)
    form = AssistedVoteForm()
    form.set_members(poll_pages.electors(poll=poll))
    if form.validate_on_submit():
        try:
            poll_voting.cast_assisted_vote(
                actor=current_user,
                poll=poll,
                user_id=form.member.data,
                ballot=form.ballot(),
                answer=form.answer_given(),
                reason=form.reason.data,
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(
                "Recorded on their behalf. They are told by email and can change it until the vote closes.", "success"
            )
            return redirect(url_for("polls.meeting", poll_id=poll.id))
    page = poll_pages.meeting_page(viewer=current_user, poll=poll, now=utcnow())
    return render_template("collectives/voting/assisted.html", poll=poll, form=form, page=page), _status(form)


def _meeting(poll, status: int = 200, **posted):
    """The meeting page, with whichever of its forms was posted (errors and what was typed kept)."""
    page = poll_pages.meeting_page(viewer=current_user, poll=poll, now=utcnow())
    forms = {
        "attendance": AttendanceForm(prefix="attendance"),
        "vote_form": MeetingVoteForm(prefix="vote"),
        "hand_over": HandOverForm(prefix="handover"),
        **posted,
    }
    forms["attendance"].set_members(page.absent)
    forms["vote_form"].set_members(page.present)
    forms["hand_over"].set_members(page.candidates)
    return render_template("collectives/voting/meeting.html", poll=poll, page=page, **forms), status


def _meeting_post(poll_id: int, name: str, form, action):
    """Shared shape of the meeting page's posts: validate, call the service, show errors in place."""
    poll = _managed(poll_id)
    page = poll_pages.meeting_page(viewer=current_user, poll=poll, now=utcnow())
    form.set_members({"attendance": page.absent, "vote_form": page.present, "hand_over": page.candidates}[name])
    if form.validate_on_submit():
        try:
            message = action(poll)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("polls.meeting", poll_id=poll.id))
    return _meeting(poll, _status(form), **{name: form})


@bp.route("/polls/<int:poll_id>/meeting")
@roles_required(*HELPERS)
def meeting(poll_id: int):
    return _meeting(_managed(poll_id))


@bp.route("/polls/<int:poll_id>/meeting/attendance", methods=["POST"])
@roles_required(*HELPERS)
def record_attendance(poll_id: int):
    form = AttendanceForm(prefix="attendance")

    def act(poll):
        added = poll_voting.record_attendance(actor=current_user, poll=poll, user_ids=form.members.data, now=utcnow())
        return f"{added} recorded as present."

    return _meeting_post(poll_id, "attendance", form, act)


@bp.route("/polls/<int:poll_id>/meeting/vote", methods=["POST"])
@roles_required(*HELPERS)
def record_meeting_vote(poll_id: int):
    form = MeetingVoteForm(prefix="vote")

    def act(poll):
        ballot = form.ballot()
        poll_voting.record_meeting_vote(
            actor=current_user,
            poll=poll,
            user_id=form.member.data,
            interest=form.interest_text(),
            ballot=ballot,
            now=utcnow(),
        )
        name = dict(form.member.choices).get(form.member.data)
        return f"Recorded for {name}: their answer about connections" + (" and their vote." if ballot else ".")

    return _meeting_post(poll_id, "vote_form", form, act)


@bp.route("/polls/<int:poll_id>/meeting/hand-over", methods=["POST"])
@roles_required(*HELPERS)
def hand_over(poll_id: int):
    form = HandOverForm(prefix="handover")

    def act(poll):
        elector = poll_voting.hand_over(actor=current_user, poll=poll, user_id=form.member.data, now=utcnow())
        return f"{elector.user.name} now records votes for others on this bid."

    return _meeting_post(poll_id, "hand_over", form, act)


@bp.route("/polls/<int:poll_id>/answers", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.PARTNER_CONTACT)
def answers(poll_id: int):
    """The partner answers each of the members' questions on a deferred listing."""
    poll = _poll(poll_id)
    if not bids.can_act_for(current_user, poll.bid) or not poll_closing.answerable(poll):
        raise PermissionDenied()
    questions = split_questions(poll.questions)
    form = answers_form(questions, poll.answers)
    if form.validate_on_submit():
        try:
            poll_closing.answer_questions(actor=current_user, poll=poll, answers=form.answers(), now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(
                "Thank you. The members will see your answers beside their questions when the vote opens again.",
                "success",
            )
            return redirect(url_for("bids.show", bid_id=poll.bid_id))
    return render_template(
        "collectives/voting/answers.html", poll=poll, form=form, can_amend=bid_services.can_amend(poll.bid)
    ), _status(form)


@bp.route("/polls")
@roles_required(Role.COORDINATOR)
def index():
    return render_template("collectives/voting/index.html", polls=poll_pages.open_and_recent())


@bp.route("/polls/<int:poll_id>/record")
@signed_in
def record(poll_id: int):
    poll = _poll(poll_id)
    record = poll_pages.decision_record(poll=poll)
    return render_template(
        "collectives/voting/record.html",
        record=record,  # and the award's payments:
        **panels("decision_record", viewer=current_user, poll=poll, award=record.award),
    )


@bp.route("/polls/<int:poll_id>/record.csv")
@signed_in
def record_csv(poll_id: int):
    poll = _poll(poll_id)
    body = poll_pages.decision_csv(poll_pages.decision_record(poll=poll))
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename=decision-{poll.id}.csv"}
    )


@bp.route("/collectives/<slug>/decision-rules", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def decision_rules(slug: str):
    collective = membership.get_collective(slug)
    in_force = rule_sets.rules_in_force(collective_id=collective.id, day=london_today(utcnow()))
    form = RuleSetForm(data={**in_force.rules.as_dict(), "effective_from": london_today(utcnow())})
    if form.validate_on_submit():
        try:
            row = rule_sets.set_rules(
                actor=current_user,
                collective=collective,
                rules=form.rule_set(),
                effective_from=form.effective_from.data,
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Version {row.version} of the decision rules is saved.", "success")
            return redirect(url_for("collectives.detail", slug=slug))
    return render_template(
        "collectives/voting/rules.html", collective=collective, form=form, in_force=in_force, defaults=DEFAULT_RULES
    ), _status(form)
