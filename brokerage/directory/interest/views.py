"""'I'm interested' (public) and the interest list for an activity's editors."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...core.data.models import Locality
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.timeutils import utcnow
from ...core.web.access import public, signed_in
from ...core.web.security import no_store
from ...errors import RuleViolation
from ...extensions import db
from ..listings import services
from . import services as interest
from .forms import InterestForm, StartGroupForm
from .services import NewGroupFromInterest, start_group_from_interest

bp = Blueprint("interest", __name__, url_prefix="/activities")


def _interest_form(activity) -> InterestForm:
    form = InterestForm()
    form.consent.label.text = f"Creative Minds and {activity.provider_name} may contact me about this activity"
    return form


@bp.route("/<int:activity_id>/interested", methods=["GET", "POST"])
@public
@no_store  # shows back the name and contact details typed in
def interested(activity_id: int):
    activity = services.get_activity(activity_id)
    form = _interest_form(activity)
    if form.validate_on_submit():
        try:
            interest.register_interest(
                activity=activity,
                first_name=form.first_name.data or "",
                contact=form.contact.data or "",
                consent=form.consent.data,
                ip=request.remote_addr or "unknown",
                now=utcnow(),
            )
        except interest.TooManyInterests:
            form.form_errors.append(
                "We have had several messages from here about this activity today. "
                "Try again tomorrow, or contact the group directly."
            )
            return (
                render_template(
                    "directory/interest/interested.html",
                    form=form,
                    activity=activity,
                    retention=interest.RETENTION_WORDS,
                ),
                429,
                {"Retry-After": "86400"},
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return redirect(url_for("interest.thanks", activity_id=activity.id))
    return render_template(
        "directory/interest/interested.html", form=form, activity=activity, retention=interest.RETENTION_WORDS
    )


@bp.route("/<int:activity_id>/interested/thanks")
@public
def thanks(activity_id: int):
    return render_template(
        "directory/interest/thanks.html",
        activity=services.get_activity(activity_id),
        retention=interest.RETENTION_WORDS,
    )


@bp.route("/<int:activity_id>/interest")
@signed_in
@no_store
def interest_list(activity_id: int):
    activity = services.get_activity(activity_id)
    rows = interest.interest_list(actor=current_user, activity=activity, now=utcnow())
    return render_template(
        "directory/interest/list.html",
        activity=activity,
        rows=rows,
        confirm_form=ConfirmForm(),
        retention=interest.RETENTION_WORDS,
    )


@bp.route("/<int:activity_id>/interest/<int:interest_id>/contacted", methods=["POST"])
@signed_in
def contacted(activity_id: int, interest_id: int):
    activity = services.get_activity(activity_id)
    if ConfirmForm().validate_on_submit():
        try:
            interest.mark_contacted(actor=current_user, activity=activity, interest_id=interest_id, now=utcnow())
            flash("Marked as contacted.", "success")
        except RuleViolation as error:
            flash(error.message, "error")
    return redirect(url_for("interest.interest_list", activity_id=activity.id))


def _start_group_form(activity, rows) -> StartGroupForm:
    # Defaults, not values set after the form is built: what was sent (or kept) takes their place.
    form = StartGroupForm(data={"name": f"{activity.title} group", "locality_id": activity.locality_id})
    localities = [(row.id, row.name) for row in db.session.scalars(select(Locality).order_by(Locality.name))]
    form.set_choices(
        localities,
        [
            (row.id, f"{row.first_name} ({row.contact})")
            for row in rows
            if row.contacted_at is not None and row.first_name
        ],
    )
    return form


@bp.route("/<int:activity_id>/interest/group", methods=["GET", "POST"])
@signed_in
def start_group(activity_id: int):
    activity = services.get_activity(activity_id)
    rows = interest.interest_list(actor=current_user, activity=activity, now=utcnow())
    form = _start_group_form(activity, rows)
    if form.validate_on_submit():
        new = NewGroupFromInterest(
            name=form.name.data,
            locality_id=form.locality_id.data or 0,
            interest_ids=tuple(form.interest_ids.data or ()),
            agreed=form.agreed.data,
        )
        try:
            group = start_group_from_interest(actor=current_user, activity=activity, new=new, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"Started {group.name} with {len(new.interest_ids)} founding members.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return render_template("directory/interest/group.html", form=form, activity=activity)
