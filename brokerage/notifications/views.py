"""The outbox page (coordinators), each person's email choices, and the one-click unsubscribe link."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.input.forms import ConfirmForm, apply_rule_violation
from ..core.values.roles import Role
from ..core.values.timeutils import utcnow
from ..core.web.access import public, roles_required, signed_in_scoped_too
from ..errors import RuleViolation
from ..extensions import csrf
from . import pages, services
from .forms import DigestTimeForm, choices_form
from .models import STATES

bp = Blueprint("notifications", __name__)
coordinator_only = roles_required(Role.COORDINATOR)


def _page_number() -> int:
    text = request.args.get("page", "")
    return int(text) if text.isdigit() and len(text) < 7 else 1


def _outbox(form: DigestTimeForm, status: int = 200):
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    result = pages.outbox(state=state or None, page=_page_number())
    return render_template(
        "notifications/outbox.html",
        result=result,
        state=state,
        states=STATES,
        state_labels=pages.STATE_LABELS,
        form=form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/notifications")
@coordinator_only
def outbox():
    return _outbox(DigestTimeForm(data={"digest_time": pages.digest_time()}))


@bp.route("/notifications/digest-time", methods=["POST"])
@coordinator_only
def digest_time():
    form = DigestTimeForm()
    if form.validate_on_submit():
        try:
            services.set_digest_time(actor=current_user, digest_time=form.digest_time.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The daily summary now goes at {form.digest_time.data.strip()} UK time.", "success")
            return redirect(url_for("notifications.outbox"))
    return _outbox(form, 400)


@bp.route("/notifications/<int:message_id>/send-again", methods=["POST"])
@coordinator_only
def send_again(message_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            services.send_again(actor=current_user, message_id=message_id, now=utcnow())
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash("The message will be sent again within a minute.", "success")
    return redirect(url_for("notifications.outbox", state=request.args.get("state") or None))


@bp.route("/account/notifications", methods=["GET", "POST"])
@signed_in_scoped_too
def my_choices():
    form = choices_form(services.choices_for(current_user.id))
    if form.validate_on_submit():
        chosen = {name: form[name].data for name in services.choices_for(current_user.id)}
        try:
            services.set_choices(actor=current_user, choices=chosen)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Your email choices are saved.", "success")
            return redirect(url_for("notifications.my_choices"))
    return render_template("notifications/choices.html", form=form)


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" with no page and no token
def unsubscribe(token: str):
    try:
        has_account = services.read_unsubscribe_token(token).user_id is not None
        if request.method == "POST":
            stopped = services.unsubscribe(token=token)
            return render_template("notifications/unsubscribed.html", stopped=stopped, has_account=has_account)
    except RuleViolation as error:
        return render_template("accounts/link_unusable.html", message=error.message), 400
    return render_template("notifications/unsubscribe.html", token=token, has_account=has_account)
