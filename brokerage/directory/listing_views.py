"""Listing pages for the people who keep activities up to date: their activities (with the
ones due a check flagged), the listing form, status changes and "Still running?"."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.access import signed_in
from ..core.forms import ConfirmForm, apply_rule_violation
from ..core.timeutils import london_today, utcnow
from ..errors import PermissionDenied, RuleViolation
from . import services
from .forms import ActivityForm, form_data
from .listings import activities_for_editor
from .permissions import editable_providers, require_edit
from .presentation import category_groups
from .vocabulary import STATUSES

bp = Blueprint("listings", __name__, url_prefix="/activities")


def _form_page(form: ActivityForm, activity=None):
    return render_template("directory/form.html", form=form, activity=activity, groups=form.category_groups)


def _prepared(form: ActivityForm, providers) -> ActivityForm:
    form.category_groups = category_groups()
    form.set_choices(providers, [(term.id, term.name) for group in form.category_groups
                                 for term in (group.parent, *group.children)])
    return form


@bp.route("/manage")
@signed_in
def manage():
    today = london_today()
    return render_template("directory/manage.html", rows=activities_for_editor(current_user, today=today),
                           can_list=bool(editable_providers(current_user)), statuses=STATUSES,
                           confirm_form=ConfirmForm())


@bp.route("/new", methods=["GET", "POST"])
@signed_in
def create():
    providers = editable_providers(current_user)
    if not providers:
        raise PermissionDenied()
    form = _prepared(ActivityForm(provider=request.args.get("provider")), providers)
    if form.validate_on_submit():
        try:
            activity = services.create_activity(actor=current_user, provider_key=form.provider.data,
                                                details=form.details(), now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{activity.title} is listed.", "success")
            return redirect(url_for("directory.show", activity_id=activity.id))
    return _form_page(form)


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(activity_id: int):
    activity = services.get_activity(activity_id)
    require_edit(current_user, activity)
    form = _prepared(ActivityForm(data=form_data(activity)), [])
    del form.provider  # who runs an activity is not changed by editing it
    if form.validate_on_submit():
        try:
            services.update_activity(actor=current_user, activity=activity, details=form.details(), now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("directory.show", activity_id=activity.id))
    return _form_page(form, activity)


@bp.route("/<int:activity_id>/status", methods=["POST"])
@signed_in
def change_status(activity_id: int):
    activity = services.get_activity(activity_id)
    if not ConfirmForm().validate_on_submit() or request.form.get("status") not in STATUSES:
        abort(400)
    services.set_status(actor=current_user, activity=activity, status=request.form["status"], now=utcnow())
    flash(f"{activity.title}: {STATUSES[activity.status].lower()}.", "success")
    return redirect(url_for("listings.manage"))


@bp.route("/<int:activity_id>/confirm", methods=["POST"])
@signed_in
def confirm(activity_id: int):
    activity = services.get_activity(activity_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.confirm_still_running(actor=current_user, activity=activity, today=london_today())
    flash(f"Thank you: {activity.title} is marked as still running.", "success")
    return redirect(url_for("listings.manage"))
