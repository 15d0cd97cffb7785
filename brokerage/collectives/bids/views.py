"""Bid pages: drafting and editing (with the match arithmetic), match-funding lines, the bid
page with its moves (and the parts later stages add to it, pages.py), the partner's "Your
bids", the members' list and the screening queue. Due votes are settled before these pages
are read (voting/views.py)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...core.data.models import Locality
from ...core.input.forms import ConfirmForm, apply_rule_violation, validated
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required, signed_in
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ...partners.agreements.rules import partner_status
from ..calls.pages import CallRow, open_calls
from ..calls.services import state_of
from ..members.membership import get_collective
from . import access as bids
from . import match_rules
from . import moves as bid_workflow
from . import services as bid_services
from .forms import BidForm, LineForm, MatchRuleForm, ReturnForm, call_choice, form_data
from .pages import panels

bp = Blueprint("bids", __name__)
EDITORS = (Role.COORDINATOR, Role.PARTNER_CONTACT)
MOVE_DONE = {
    "submit": "Your bid has been submitted. A coordinator will screen it soon.",
    "pick_up": "You are now screening this bid.",
    "ready": "The bid is ready for the collective's vote.",
    "withdraw": "The bid has been withdrawn.",
}
MOVES = {
    "submit": bid_workflow.submit,
    "pick_up": bid_workflow.pick_up,
    "ready": bid_workflow.mark_ready_for_vote,
    "withdraw": bid_workflow.withdraw,
}


def _today():
    return london_today(utcnow())


def _to_bid(bid_id: int):
    return redirect(url_for("bids.show", bid_id=bid_id))


def _form_figures(form: BidForm, partner, bid):
    """The match arithmetic for what is in the form (None until the amount and locality are valid)."""
    locality = next((item for item in partner.localities if item.id == form.locality_id.data), None)
    if locality is None or form.requested.pence is None:
        return None
    return match_rules.figures(
        locality=locality,
        requested=form.requested.pence,
        confirmed_funds=bid.confirmed_funds_pence if bid else 0,
        day=_today(),
    )


def _call_rows(partner, bid) -> list[CallRow]:
    """The calls a bid of this partner may answer: the open calls of its localities, and the
    call the bid already answers (even once closed)."""
    day = _today()
    rows = open_calls(day=day, locality_ids={locality.id for locality in partner.localities})
    if bid is not None and bid.call is not None and bid.call_id not in {row.call.id for row in rows}:
        rows.insert(0, CallRow(bid.call, state_of(bid.call, day)))
    return rows


def _bid_form(form: BidForm, partner, bid, save, call_rows: list[CallRow]):
    """Check the figures (re-show the form with the arithmetic) or save; None once saved."""
    form.set_localities(partner.localities)
    form.set_calls([call_choice(row) for row in call_rows])
    figures = None
    if request.method == "POST":
        valid = form.validate()
        if request.form.get("action") == "check":
            figures = _form_figures(form, partner, bid)
        elif valid:
            try:
                return None, save(form.details())
            except RuleViolation as error:
                apply_rule_violation(form, error)
    status = 400 if form.errors or form.form_errors else 200
    page = render_template(
        "collectives/bids/form.html",
        form=form,
        partner=partner,
        bid=bid,
        figures=figures,
        calculator=match_rules.calculator_data(localities=partner.localities, day=_today()),
        confirmed=bid.confirmed_funds_pence if bid else 0,
    )
    return (page, status), None


@bp.route("/partners/<int:partner_id>/bids/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new(partner_id: int):
    partner = bids.partner_for_drafting(actor=current_user, partner_id=partner_id)
    rows = _call_rows(partner, None)
    chosen = next((row.call for row in rows if str(row.call.id) == request.args.get("call")), None)
    form = BidForm(
        data={"call_id": chosen.id, "locality_id": chosen.collective.locality_id}
        if chosen is not None and request.method == "GET"
        else None
    )
    page, bid = _bid_form(
        form,
        partner,
        None,
        lambda details: bid_services.create_draft(actor=current_user, partner=partner, details=details, now=utcnow()),
        rows,
    )
    if page:
        return page
    flash("Your draft is saved. Add the match-funding lines next.", "success")
    return _to_bid(bid.id)


@bp.route("/bids/<int:bid_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(bid_id: int):
    bid = bids.bid_for_acting(actor=current_user, bid_id=bid_id)
    bid_services.require_editable(bid)
    form = BidForm(data=form_data(bid) if request.method == "GET" else None)
    page, saved = _bid_form(
        form,
        bid.partner,
        bid,
        lambda details: bid_services.update_draft(actor=current_user, bid=bid, details=details, now=utcnow()),
        _call_rows(bid.partner, bid),
    )
    if page:
        return page
    flash("Changes saved.", "success")
    return _to_bid(saved.id)


@bp.route("/bids/<int:bid_id>")
@signed_in
def show(bid_id: int):
    day = _today()
    bid = bids.bid_for_viewing(actor=current_user, bid_id=bid_id, day=day)
    return render_template(
        "collectives/bids/show.html",
        bid=bid,
        figures=match_rules.figures_for_bid(bid, day=day),
        rule=match_rules.rule_for_locality(locality=bid.locality, day=day),
        row=bids.BidRow(bid, partner_status(bid.partner, today=day)),
        history=bids.history(bid),
        moves=bids.allowed_moves(current_user, bid),
        can_act=bids.can_act_for(current_user, bid),
        editable=bid_services.can_amend(bid),
        confirm_form=ConfirmForm(),
        **panels("bid", viewer=current_user, bid=bid),
    )  # votes, grant, payments


@bp.route("/bids/<int:bid_id>/lines/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def add_line(bid_id: int):
    bid = bids.bid_for_acting(actor=current_user, bid_id=bid_id)
    bid_services.require_editable(bid)
    form = LineForm()
    if form.validate_on_submit():
        try:
            bid_services.add_line(actor=current_user, bid=bid, line=form.details(), now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Match funding added.", "success")
            return _to_bid(bid.id)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("collectives/bids/line_form.html", form=form, bid=bid), status


@bp.route("/bids/<int:bid_id>/lines/<int:line_id>/remove", methods=["POST"])
@roles_required(*EDITORS)
def remove_line(bid_id: int, line_id: int):
    bid = bids.bid_for_acting(actor=current_user, bid_id=bid_id)
    if ConfirmForm().validate_on_submit():
        bid_services.remove_line(actor=current_user, bid=bid, line_id=line_id, now=utcnow())
        flash("Match funding removed.", "success")
    return _to_bid(bid.id)


@bp.route("/bids/<int:bid_id>/<any(submit, pick_up, ready, withdraw):move>", methods=["POST"])
@roles_required(*EDITORS)
def move(bid_id: int, move: str):
    bid = bids.get_bid(bid_id)
    if ConfirmForm().validate_on_submit():
        try:
            MOVES[move](actor=current_user, bid=bid, now=utcnow())
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(MOVE_DONE[move], "success")
    return _to_bid(bid.id)


@bp.route("/bids/<int:bid_id>/return", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def return_bid(bid_id: int):
    bid = bids.get_bid(bid_id)
    bid_workflow.require_state_for(bid, "return")
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            bid_workflow.return_for_changes(actor=current_user, bid=bid, message=form.message.data, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The bid has been returned to {bid.partner.name} with your message.", "success")
            return _to_bid(bid.id)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("collectives/bids/return.html", form=form, bid=bid), status


@bp.route("/bids/yours")
@roles_required(Role.PARTNER_CONTACT)
def yours():
    return render_template(
        "collectives/bids/yours.html",
        rows=bids.bids_for_contact(actor=current_user, day=_today()),
        partners=bids.partners_of_contact(current_user),
        **panels("your_bids", viewer=current_user),
    )  # the to-do list (voting)


@bp.route("/bids")
@roles_required(Role.COORDINATOR, Role.COLLECTIVE_MEMBER)
def index():
    return render_template(
        "collectives/bids/index.html",
        rows=bids.readable_bids(actor=current_user, day=_today()),
        every_locality=bids.reads_every_locality(current_user),
    )


@bp.route("/bids/screening")
@roles_required(Role.COORDINATOR)
def screening():
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    slug = request.args.get("locality", "")
    locality = next((item for item in localities if item.slug == slug), None)
    if slug and locality is None:
        raise NotFound()
    rows = bids.screening_queue(actor=current_user, locality=locality, day=_today())
    return render_template("collectives/bids/screening.html", rows=rows, localities=localities, locality=locality)


@bp.route("/collectives/<slug>/match-rule", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def match_rule(slug: str):
    collective = get_collective(slug)
    form = MatchRuleForm()
    if form.validate_on_submit():
        try:
            match_rules.set_match_rule(
                actor=current_user,
                collective=collective,
                numerator=validated(form.ratio_numerator.data),
                denominator=validated(form.ratio_denominator.data),
                cap_pence=validated(form.cap.pence),
                effective_from=form.effective_from.data,
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The new match rule of {collective.name} is saved.", "success")
            return redirect(url_for("bids.match_rule", slug=slug))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "collectives/bids/match_rule.html",
        form=form,
        collective=collective,
        current=match_rules.current_rule(collective_id=collective.id, day=_today()),
        versions=match_rules.rule_versions(collective_id=collective.id),
    ), status
