"""Collectives pages: the list, a collective (members, joining, money), allocating money,
and a member's own page with their register of interests."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.input.forms import ConfirmForm, apply_rule_violation, validated
from ..core.values.roles import Role
from ..core.values.timeutils import financial_year_label, financial_year_start, london_today, utcnow
from ..core.web.access import roles_required, signed_in
from ..errors import NotFound, RuleViolation
from . import pages
from .forms import AllocateForm, EndInterestForm, InterestForm, JoinForm, ReverseForm
from .grants import corrections
from .members import interests, membership
from .models import Constituency, MemberRole
from .money import services as funds
from .voting import pages as poll_pages
from .voting.views import settle_due_votes_first

bp = Blueprint("collectives", __name__)
bp.before_request(settle_due_votes_first)  # a member's own page lists the votes waiting for them


def _today():
    return london_today(utcnow())


def _to_collective(slug: str):
    return redirect(url_for("collectives.detail", slug=slug))


@bp.route("/collectives")
@signed_in
def index():
    return render_template("collectives/index.html", cards=pages.index_cards(viewer=current_user, day=_today()))


@bp.route("/collectives/words")
@signed_in
def words():
    """The precise terms behind the plain words on members' and partners' pages."""
    return render_template("collectives/words.html")


@bp.route("/collectives/<slug>")
@signed_in
def detail(slug: str):
    page = pages.collective_page(
        viewer=current_user,
        collective=membership.get_collective(slug),
        day=_today(),
        year=request.args.get("year", type=int),
    )
    return render_template("collectives/detail.html", page=page, confirm_form=ConfirmForm())


@bp.route("/collectives/<slug>/join", methods=["GET", "POST"])
@signed_in
def join(slug: str):
    collective = membership.get_collective(slug)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            membership.request_to_join(
                actor=current_user,
                collective=collective,
                constituency=Constituency(form.constituency.data),
                message=form.message.data or "",
                now=utcnow(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Thank you. A chair or coordinator of {collective.name} will reply soon.", "success")
            return _to_collective(slug)
    return render_template("collectives/join.html", collective=collective, form=form)


@bp.route("/collectives/<slug>/requests/<int:request_id>/<any(approve, decline):decision>", methods=["POST"])
@signed_in
def decide_request(slug: str, request_id: int, decision: str):
    collective = membership.get_collective(slug)
    join_request = membership.get_join_request(collective=collective, request_id=request_id)
    if ConfirmForm().validate_on_submit():
        name = join_request.user.name
        membership.decide_join_request(
            actor=current_user, join_request=join_request, approve=decision == "approve", now=utcnow()
        )
        flash(f"{name} is now a member." if decision == "approve" else f"Request from {name} declined.", "success")
    return _to_collective(slug)


@bp.route("/collectives/<slug>/members/<int:membership_id>/role/<any(chair, member):role>", methods=["POST"])
@roles_required(Role.COORDINATOR)
def set_role(slug: str, membership_id: int, role: str):
    member = membership.get_membership(collective=membership.get_collective(slug), membership_id=membership_id)
    if ConfirmForm().validate_on_submit():
        membership.set_member_role(actor=current_user, membership=member, role=MemberRole(role))
        flash(f"{member.user.name} is now {MemberRole(role).label.lower()}.", "success")
    return _to_collective(slug)


@bp.route("/collectives/<slug>/members/<int:membership_id>/end", methods=["GET", "POST"])
@signed_in
def end_membership(slug: str, membership_id: int):
    member = membership.get_membership(collective=membership.get_collective(slug), membership_id=membership_id)
    membership.check_can_end(actor=current_user, membership=member, day=_today())
    form = ConfirmForm()
    if form.validate_on_submit():
        membership.end_membership(actor=current_user, membership=member, ended_on=_today())
        flash(
            "You have left the collective."
            if member.user_id == current_user.id
            else f"{member.user.name}'s membership has ended.",
            "success",
        )
        return _to_collective(slug)
    return render_template("collectives/end_membership.html", member=member, form=form)


def _year_choices() -> tuple[int, list[tuple[str, str]]]:
    current = financial_year_start(_today())
    return current, [(str(year), financial_year_label(year)) for year in (current, current + 1)]


@bp.route("/collectives/<slug>/allocate", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def allocate(slug: str):
    collective = membership.get_collective(slug)
    current, choices = _year_choices()
    form = AllocateForm(year=str(current))
    form.year.choices = choices
    if form.validate_on_submit():
        try:
            funds.allocate_for_year(
                actor=current_user,
                locality=collective.locality,
                start_year=int(form.year.data),
                current_year=current,
                amount_pence=validated(form.amount.pence),
                note=form.note.data or "",
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Money allocated to {collective.name}.", "success")
            return _to_collective(slug)
    return render_template("collectives/allocate.html", collective=collective, form=form)


@bp.route("/collectives/<slug>/ledger/<int:entry_id>/reverse", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def reverse(slug: str, entry_id: int):
    collective = membership.get_collective(slug)
    entry = funds.get_entry(locality=collective.locality, entry_id=entry_id)
    form = ReverseForm()
    if form.validate_on_submit():
        try:
            corrections.reverse_entry(actor=current_user, entry=entry, note=form.note.data, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Entry {entry_id} has been reversed.", "success")
            return _to_collective(slug)
    return render_template(
        "collectives/reverse.html",
        collective=collective,
        entry=entry,
        form=form,
        paid_bid=corrections.bid_of_payment_entry(entry),
    )


@bp.route("/your-collectives")
@signed_in
def yours():
    page = pages.your_collectives(viewer=current_user, day=_today())
    return render_template("collectives/yours.html", page=page, to_vote=poll_pages.to_vote(viewer=current_user))


@bp.route("/your-collectives/interests/new", methods=["GET", "POST"])
@signed_in
def add_interest():
    form = InterestForm()
    form.set_partners(interests.partner_choices())
    if form.validate_on_submit():
        try:
            interests.add_interest(
                actor=current_user,
                organisation_name=form.organisation_name.data or "",
                partner_id=form.partner_id.data,
                nature=form.nature.data,
                since=form.since.data,
                today=_today(),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Your register of interests is up to date.", "success")
            return redirect(url_for("collectives.yours"))
    return render_template("collectives/interest_form.html", form=form)


@bp.route("/your-collectives/interests/<int:interest_id>/end", methods=["GET", "POST"])
@signed_in
def end_interest(interest_id: int):
    interest = interests.get_interest(actor=current_user, interest_id=interest_id)
    if interest.ended_on is not None:
        raise NotFound()
    form = EndInterestForm(ended_on=_today())
    if form.validate_on_submit():
        try:
            interests.end_interest(actor=current_user, interest=interest, ended_on=form.ended_on.data, today=_today())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Your register of interests is up to date.", "success")
            return redirect(url_for("collectives.yours"))
    return render_template("collectives/end_interest.html", interest=interest, form=form)
