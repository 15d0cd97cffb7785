"""Calls for bids: issuing one from a collective's page (prefilled from the gaps page's link),
changing it and closing it early; the list of calls and each call's page."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required
from ...errors import PermissionDenied, RuleViolation
from ..members.membership import get_collective
from . import access, pages, services
from .forms import CallForm, CloseCallForm, form_data, prefilled

bp = Blueprint("calls", __name__)
ISSUERS = (Role.COORDINATOR, Role.COLLECTIVE_MEMBER)  # chairs are members; the services check the chair


def _today():
    return london_today(utcnow())


def _to_call(call_id: int):
    return redirect(url_for("calls.show", call_id=call_id))


def _status(form) -> int:
    return 400 if form.errors or form.form_errors else 200


@bp.route("/collectives/<slug>/calls/new", methods=["GET", "POST"])
@roles_required(*ISSUERS)
def new_call(slug: str):
    collective = get_collective(slug)
    today = _today()
    if not access.can_issue(current_user, collective, today):
        raise PermissionDenied()
    form = CallForm(data=prefilled(request.args) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            call = services.issue_call(
                actor=current_user, collective=collective, details=form.details(), now=utcnow(), today=today
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The call for bids is open. The locality's partners and champions have been told.", "success")
            return _to_call(call.id)
    return render_template(
        "collectives/calls/form.html",
        form=form,
        collective=collective,
        call=None,
        available=services.available_pence(collective, today),
    ), _status(form)


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@roles_required(*ISSUERS)
def edit_call(call_id: int):
    today = _today()
    call = access.call_for_issuing(actor=current_user, call_id=call_id, day=today)
    if not services.can_change(call, today):
        flash("This call can no longer change: it has closed, or a bid has answered it.", "error")
        return _to_call(call.id)
    form = CallForm(data=form_data(call) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.update_call(actor=current_user, call=call, details=form.details(), now=utcnow(), today=today)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Changes saved.", "success")
            return _to_call(call.id)
    return render_template(
        "collectives/calls/form.html",
        form=form,
        collective=call.collective,
        call=call,
        available=services.available_pence(call.collective, today),
    ), _status(form)


@bp.route("/calls/<int:call_id>/close", methods=["GET", "POST"])
@roles_required(*ISSUERS)
def close_call(call_id: int):
    today = _today()
    call = access.call_for_issuing(actor=current_user, call_id=call_id, day=today)
    form = CloseCallForm()
    if form.validate_on_submit():
        try:
            services.close_early(actor=current_user, call=call, reason=form.reason.data, now=utcnow(), today=today)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The call is closed.", "success")
            return _to_call(call.id)
    return render_template("collectives/calls/close.html", form=form, call=call), _status(form)


@bp.route("/calls")
@roles_required(*access.READERS)
def index():
    today = _today()
    return render_template(
        "collectives/calls/index.html", open_rows=pages.open_calls(day=today), closed_rows=pages.closed_calls(day=today)
    )


@bp.route("/calls/<int:call_id>")
@roles_required(*access.READERS)
def show(call_id: int):
    today = _today()
    call = access.call_for_reading(actor=current_user, call_id=call_id)
    return render_template(
        "collectives/calls/show.html",
        call=call,
        page=pages.call_page(viewer=current_user, call=call, day=today),
        **pages.call_panels(viewer=current_user, call=call, day=today),
    )
