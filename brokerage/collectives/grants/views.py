"""A grant after approval: recording the signed grant agreement (coordinators), the partner's
end-of-grant report, closing the grant (coordinators), and recording a payment against the
award (coordinators, the `payments` blueprint); the grant's stage on the bid page, and the
award's payments on the bid page and the vote's decision record (panels, bids/pages.py)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import utcnow
from ...core.web.access import roles_required
from ...core.web.filters import money
from ...errors import NotFound, RuleViolation
from ..bids import access as bids
from ..bids import lifecycle
from ..bids.pages import register_panel
from . import payments
from . import stages as grant_stages
from .forms import AgreementForm, CloseForm, PaymentForm, ReportForm

bp = Blueprint("grant_stages", __name__)
payments_bp = Blueprint("payments", __name__)
STEPS = {  # the form, the bid lifecycle's move it makes, the service call, what it says when done
    "agreement": (
        AgreementForm,
        "sign_agreement",
        lambda form, bid: grant_stages.record_agreement(
            actor=current_user, bid=bid, details=form.details(), now=utcnow()
        ),
        "The grant agreement is recorded. Payments can now be made.",
    ),
    "report": (
        ReportForm,
        "report",
        lambda form, bid: grant_stages.submit_report(actor=current_user, bid=bid, details=form.details(), now=utcnow()),
        "Thank you: your end-of-grant report has been sent.",
    ),
    "close": (
        CloseForm,
        "close_grant",
        lambda form, bid: grant_stages.close_grant(
            actor=current_user, bid=bid, note=form.note.data or "", now=utcnow()
        ),
        "The grant is closed.",
    ),
}
register_panel("bid", lambda viewer, bid: {"grant": grant_stages.stage_of(viewer=viewer, bid=bid)})
register_panel(
    "bid", lambda viewer, bid: {"pay": payments.award_payments(bid), "can_pay": payments.may_pay(viewer, bid)}
)
register_panel(
    "decision_record",
    lambda viewer, poll, award: {
        "can_pay": payments.may_pay(viewer, poll.bid),
        "pay": payments.award_payments(poll.bid) if award else None,
    },
)


def _step(bid, name: str):
    form_class, move, call, done = STEPS[name]
    if lifecycle.refusal(move, bid.state) is not None:
        raise RuleViolation(f"This bid is {bid.state.label.lower()}, so this step is not open.")
    form = form_class()
    if form.validate_on_submit():
        try:
            call(form, bid)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(done, "success")
            return redirect(url_for("bids.show", bid_id=bid.id) + "#grant-heading")
    status = 400 if form.errors or form.form_errors else 200
    return render_template(f"collectives/grants/{name}.html", form=form, bid=bid), status


@bp.route("/bids/<int:bid_id>/agreement", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def agreement(bid_id: int):
    return _step(bids.get_bid(bid_id), "agreement")


@bp.route("/bids/<int:bid_id>/report", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.PARTNER_CONTACT)
def report(bid_id: int):
    return _step(bids.bid_for_acting(actor=current_user, bid_id=bid_id), "report")


@bp.route("/bids/<int:bid_id>/close", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def close(bid_id: int):
    return _step(bids.get_bid(bid_id), "close")


@payments_bp.route("/bids/<int:bid_id>/payments/new", methods=["GET", "POST"])
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
    return render_template("collectives/grants/payment.html", form=form, bid=bid, summary=summary), status
