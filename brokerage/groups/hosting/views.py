"""Hosting pages: applying to a host, the host's decision, the held money and its history, expenses
and graduation."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.web.access import signed_in
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.timeutils import london_today
from ...errors import RuleViolation
from ..access import can_view, group_for_editing
from ..blueprint import bp
from . import access, expenses
from . import services as hosting
from .forms import ApplyForm, DecisionForm, ExpenseForm, MoneyForm
from .ledger import ENTRY_LABELS, entries_of


def _to_hosting(hosting_id: int):
    return redirect(url_for("groups.hosting_page", hosting_id=hosting_id))


@bp.route("/<int:group_id>/hosting/apply", methods=["GET", "POST"])
@signed_in
def apply_for_hosting(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = ApplyForm()
    form.partner_id.choices = [(0, "Choose a partner"), *((p.id, p.name) for p in hosting.hosting_partner_choices())]
    if form.validate_on_submit():
        try:
            made = hosting.apply_for_hosting(actor=current_user, group=group, partner_id=form.partner_id.data,
                                             request=form.request.data or "")
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The application is sent. The partner will decide.", "success")
            return _to_hosting(made.id)
    return render_template("groups/hosting_apply.html", form=form, group=group)


@bp.route("/hostings/<int:hosting_id>")
@signed_in
def hosting_page(hosting_id: int):
    held, today = hosting.get_hosting(actor=current_user, hosting_id=hosting_id), london_today()
    officer, is_host = access.officer_person(current_user, held.group_id), access.is_host(current_user, held)
    claimed = expenses.expenses_of(held)
    return render_template("groups/hosting.html", hosting=held, group=held.group, today=today,
                           entries=entries_of(held), entry_labels=ENTRY_LABELS, expenses=claimed, is_host=is_host,
                           can_approve={e.id for e in claimed if access.may_offer_approval(officer, e, held, today)},
                           can_pay={e.id for e in claimed if access.may_offer_payment(is_host, e)},
                           can_view_group=can_view(current_user, held.group), confirm_form=ConfirmForm())


@bp.route("/hostings/<int:hosting_id>/decide", methods=["GET", "POST"])
@signed_in
def decide_hosting(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                hosting.approve_hosting(actor=current_user, hosting=held, terms=hosting.Terms(
                    starts_on=form.starts_on.data, expires_on=form.expires_on.data, fee_percent=form.fee_percent.data))
            else:
                hosting.decline_hosting(actor=current_user, hosting=held, reason=form.reason.data or "")
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The decision is recorded.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting_decide.html", form=form, hosting=held, group=held.group)


@bp.route("/hostings/<int:hosting_id>/money", methods=["GET", "POST"])
@signed_in
def record_money(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = MoneyForm()
    if form.validate_on_submit():
        try:
            hosting.record_money_received(actor=current_user, hosting=held, amount_pence=form.amount.pence,
                                          received_on=form.received_on.data, note=form.note.data or "")
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The money received is recorded.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting_money.html", form=form, hosting=held, group=held.group)


@bp.route("/hostings/<int:hosting_id>/expenses/new", methods=["GET", "POST"])
@signed_in
def new_expense(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    form = ExpenseForm()
    form.claimant_id.choices = [(0, "Choose a member"), *((p.id, p.name) for p in held.group.people)]
    if form.validate_on_submit():
        try:
            expenses.submit_expense(actor=current_user, hosting=held, new=expenses.NewExpense(
                description=form.description.data, amount_pence=form.amount.pence, claimant_id=form.claimant_id.data))
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The expense is submitted. Two officers need to approve it.", "success")
            return _to_hosting(held.id)
    return render_template("groups/expense_new.html", form=form, hosting=held, group=held.group)


def _expense_action(expense_id: int, act, done: str):
    expense = expenses.get_expense(actor=current_user, expense_id=expense_id)
    if ConfirmForm().validate_on_submit():
        try:
            act(actor=current_user, expense=expense)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(done, "success")
    return _to_hosting(expense.hosting_id)


@bp.route("/expenses/<int:expense_id>/approve", methods=["POST"])
@signed_in
def approve_expense(expense_id: int):
    return _expense_action(expense_id, expenses.approve_expense, "Your approval is recorded.")


@bp.route("/expenses/<int:expense_id>/pay", methods=["POST"])
@signed_in
def pay_expense(expense_id: int):
    return _expense_action(expense_id, expenses.pay_expense, "The expense is recorded as paid.")


@bp.route("/hostings/<int:hosting_id>/graduate", methods=["GET", "POST"])
@signed_in
def graduate(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            hosting.graduate(actor=current_user, hosting=held)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{held.group.name} has graduated to its own account.", "success")
            return _to_hosting(held.id)
    return render_template("groups/graduate.html", form=form, hosting=held, group=held.group)
