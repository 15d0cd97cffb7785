"""Recording a payment against a bid's award (coordinators); the award's payments on the bid
page and on the vote's decision record (panels, bids/pages.py)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...accounts.roles import Role
from ...core.access import roles_required
from ...core.filters import money
from ...core.forms import apply_rule_violation
from ...core.timeutils import utcnow
from ...errors import NotFound, RuleViolation
from ..bids import access as bids
from ..bids.pages import register_panel
from . import payments
from .payment_forms import PaymentForm

bp = Blueprint("payments", __name__)
register_panel("bid", lambda viewer, bid: {"pay": payments.award_payments(bid),
                                           "can_pay": payments.may_pay(viewer, bid)})
register_panel("decision_record", lambda viewer, poll, award: {
    "can_pay": payments.may_pay(viewer, poll.bid), "pay": payments.award_payments(poll.bid) if award else None})


@bp.route("/bids/<int:bid_id>/payments/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def new(bid_id: int):
    bid = bids.get_bid(bid_id)
    summary = payments.award_payments(bid)
    if summary is None:
        raise NotFound()
    form = PaymentForm()
    if form.validate_on_submit():
        try:
            payment = payments.record_payment(actor=current_user, bid=bid, evidence=form.evidence(), now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Payment of {money(payment.amount_pence)} recorded.", "success")
            return redirect(url_for("bids.show", bid_id=bid.id) + "#payments-heading")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("collectives/payments/new.html", form=form, bid=bid, summary=summary), status
