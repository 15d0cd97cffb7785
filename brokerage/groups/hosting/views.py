"""Hosting pages: applying to a host, the host's decision, the held money and its history, expenses
and graduation."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import ConfirmForm, apply_rule_violation, validated
from ...core.values.timeutils import london_today
from ...core.web.access import signed_in_scoped_too
from ...errors import PermissionDenied, RuleViolation
from ..access import can_view, group_for_editing
from ..blueprint import bp
from . import access, expenses
from . import services as hosting
from .forms import ApplyForm, CancelExpenseForm, DecisionForm, ExpenseForm, MoneyForm, RenewForm
from .ledger import ENTRY_LABELS, entries_of
from .rules import EXPENSE_STATE_LABELS, expense_state


def _to_hosting(hosting_id: int):
    return redirect(url_for("groups.hosting_page", hosting_id=hosting_id))


@bp.route("/<int:group_id>/hosting/apply", methods=["GET", "POST"])
@signed_in_scoped_too
def apply_for_hosting(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = ApplyForm()
    form.partner_id.choices = [(0, "Choose a partner"), *((p.id, p.name) for p in hosting.hosting_partner_choices())]
    if form.validate_on_submit():
        try:
            made = hosting.apply_for_hosting(
                actor=current_user, group=group, partner_id=form.partner_id.data, request=form.request.data or ""
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The application is sent. The partner will decide.", "success")
            return _to_hosting(made.id)
    return render_template("groups/hosting/apply.html", form=form, group=group)


@bp.route("/hostings/<int:hosting_id>")
@signed_in_scoped_too
def hosting_page(hosting_id: int):
    held, today = hosting.get_hosting(actor=current_user, hosting_id=hosting_id), london_today()
    officer, is_host = access.officer_person(current_user, held.group_id), access.is_host(current_user, held)
    claimed = expenses.expenses_of(held)
    states = {e.id: expense_state(e.status, e.amount_pence, held.balance_pence) for e in claimed}
    return render_template(
        "groups/hosting/index.html",
        hosting=held,
        group=held.group,
        today=today,
        entries=entries_of(held),
        entry_labels=ENTRY_LABELS,
        expenses=claimed,
        is_host=is_host,
        states=states,
        state_labels=EXPENSE_STATE_LABELS,
        can_approve={e.id for e in claimed if access.may_offer_approval(officer, e, held, today)},
        can_pay={e.id for e in claimed if access.may_offer_payment(is_host, e) and states[e.id] == "ready"},
        can_withdraw={e.id for e in claimed if access.may_offer_withdrawal(current_user, e)},
        can_cancel={e.id for e in claimed if access.may_offer_cancellation(officer, e)},
        can_view_group=can_view(current_user, held.group),
        confirm_form=ConfirmForm(),
    )


@bp.route("/hostings/<int:hosting_id>/decide", methods=["GET", "POST"])
@signed_in_scoped_too
def decide_hosting(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                hosting.approve_hosting(
                    actor=current_user,
                    hosting=held,
                    terms=hosting.Terms(
                        starts_on=form.starts_on.data,
                        expires_on=form.expires_on.data,
                        fee_percent=form.fee_percent.data,
                    ),
                )
            else:
                hosting.decline_hosting(actor=current_user, hosting=held, reason=form.reason.data or "")
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The decision is recorded.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting/decide.html", form=form, hosting=held, group=held.group)


@bp.route("/hostings/<int:hosting_id>/renew", methods=["GET", "POST"])
@signed_in_scoped_too
def renew_hosting(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = RenewForm()
    if form.validate_on_submit():
        try:
            hosting.renew_hosting(actor=current_user, hosting=held, expires_on=form.expires_on.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            renewed = form.expires_on.data
            flash(f"The agreement is renewed until {renewed.day} {renewed:%B %Y}.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting/renew.html", form=form, hosting=held, group=held.group)


@bp.route("/hostings/<int:hosting_id>/money", methods=["GET", "POST"])
@signed_in_scoped_too
def record_money(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    access.require_host(current_user, held)
    form = MoneyForm()
    if form.validate_on_submit():
        try:
            hosting.record_money_received(
                actor=current_user,
                hosting=held,
                amount_pence=validated(form.amount.pence),
                received_on=form.received_on.data,
                note=form.note.data or "",
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The money received is recorded.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting/money.html", form=form, hosting=held, group=held.group)


@bp.route("/hostings/<int:hosting_id>/expenses/new", methods=["GET", "POST"])
@signed_in_scoped_too
def new_expense(hosting_id: int):
    held = hosting.get_hosting(actor=current_user, hosting_id=hosting_id)
    form = ExpenseForm()
    form.claimant_id.choices = [(0, "Choose a member"), *((p.id, p.name) for p in held.group.people)]
    if form.validate_on_submit():
        try:
            expenses.submit_expense(
                actor=current_user,
                hosting=held,
                new=expenses.NewExpense(
                    description=form.description.data,
                    amount_pence=validated(form.amount.pence),
                    claimant_id=form.claimant_id.data,
                ),
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The expense is submitted. Two officers need to approve it.", "success")
            return _to_hosting(held.id)
    return render_template("groups/hosting/expense_new.html", form=form, hosting=held, group=held.group)


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
@signed_in_scoped_too
def approve_expense(expense_id: int):
    return _expense_action(expense_id, expenses.approve_expense, "Your approval is recorded.")


@bp.route("/expenses/<int:expense_id>/pay", methods=["POST"])
@signed_in_scoped_too
def pay_expense(expense_id: int):
    return _expense_action(expense_id, expenses.pay_expense, "The expense is recorded as paid.")


@bp.route("/expenses/<int:expense_id>/withdraw", methods=["POST"])
@signed_in_scoped_too
def withdraw_expense(expense_id: int):
    return _expense_action(expense_id, expenses.withdraw_expense, "Your claim is withdrawn.")


@bp.route("/expenses/<int:expense_id>/cancel", methods=["GET", "POST"])
@signed_in_scoped_too
def cancel_expense(expense_id: int):
    expense = expenses.get_expense(actor=current_user, expense_id=expense_id)
    held = expenses.hosting_of(expense)
    if not access.may_offer_cancellation(access.officer_person(current_user, held.group_id), expense):
        raise PermissionDenied()
    form = CancelExpenseForm()
    if form.validate_on_submit():
        try:
            expenses.cancel_expense(actor=current_user, expense=expense, reason=form.reason.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(
                "The expense is cancelled."
                if expense.status == "cancelled"
                else "Your request to cancel is recorded. A second officer needs to agree.",
                "success",
            )
            return _to_hosting(held.id)
    return render_template(
        "groups/hosting/expense_cancel.html",
        form=form,
        expense=expense,
        hosting=held,
        group=held.group,
        amount_state=EXPENSE_STATE_LABELS[expense_state(expense.status, expense.amount_pence, held.balance_pence)],
    )


@bp.route("/hostings/<int:hosting_id>/graduate", methods=["GET", "POST"])
@signed_in_scoped_too
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
    return render_template(
        "groups/hosting/graduate.html",
        form=form,
        hosting=held,
        group=held.group,
        blockers=hosting.graduation_blockers_of(held),
    )
