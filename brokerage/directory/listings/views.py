"""Listing pages for the people who keep activities up to date: their activities (with the
ones due a check flagged), the listing form (with "find the venue on the map" for coordinators
and champions when the geocoder is on), status changes and "Still running?"."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required, signed_in
from ...errors import PermissionDenied, RuleViolation
from ..geo.geocoding import install_geocoder
from ..geo.venue_lookup import PLACING_ROLES, find_venue, offers_venue_lookup
from . import services
from .access import editable_providers, require_edit
from .forms import ActivityForm, form_data
from .pages import activities_for_editor, category_groups
from .vocabulary import STATUSES

bp = Blueprint("listings", __name__, url_prefix="/activities")
bp.record_once(lambda state: install_geocoder(state.app))


def _form_page(form: ActivityForm, activity=None):
    """The listing form; it always saves to the create or edit page, also when it is shown
    again by "find the venue on the map" (whose button posts to its own page)."""
    if activity:
        save_url = url_for("listings.edit", activity_id=activity.id)
        find_url = url_for("listings.find_venue_for_edit", activity_id=activity.id)
    else:
        save_url, find_url = url_for("listings.create"), url_for("listings.find_venue_for_new")
    return render_template(
        "directory/listings/form.html",
        form=form,
        activity=activity,
        groups=form.category_groups,
        save_url=save_url,
        find_url=find_url if offers_venue_lookup(current_user) else None,
    )


def _with_found_venue(form: ActivityForm) -> ActivityForm:
    """The form as typed, with the place the geocoder found (or a message saying why not)."""
    try:
        form.show_place(
            find_venue(
                actor=current_user,
                address_1=form.address_1.data,
                city=form.city.data,
                postcode=form.postcode.data,
                address_is_private=form.address_is_private.data,
            )
        )
    except RuleViolation as error:
        form.show_place(None)
        apply_rule_violation(form, error)
    return form


def _prepared(form: ActivityForm, providers) -> ActivityForm:
    form.category_groups = category_groups()
    form.set_choices(
        providers, [(term.id, term.name) for group in form.category_groups for term in (group.parent, *group.children)]
    )
    return form


@bp.route("/manage")
@signed_in
def manage():
    today = london_today()
    return render_template(
        "directory/listings/manage.html",
        rows=activities_for_editor(current_user, today=today),
        can_list=bool(editable_providers(current_user)),
        statuses=STATUSES,
        confirm_form=ConfirmForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@signed_in
def create():
    providers = editable_providers(current_user)
    if not providers:
        raise PermissionDenied()
    form = _prepared(ActivityForm(provider=request.args.get("provider")), providers)
    if form.validate_on_submit():
        try:
            activity = services.create_activity(
                actor=current_user, provider_key=form.provider.data, details=form.details(), now=utcnow()
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{activity.title} is listed.", "success")
            return redirect(url_for("directory.show", activity_id=activity.id))
    return _form_page(form)


@bp.route("/new/find-venue", methods=["POST"])
@roles_required(*PLACING_ROLES)
def find_venue_for_new():
    providers = editable_providers(current_user)
    if not providers:
        raise PermissionDenied()
    return _form_page(_with_found_venue(_prepared(ActivityForm(), providers)))


@bp.route("/<int:activity_id>/edit/find-venue", methods=["POST"])
@roles_required(*PLACING_ROLES)
def find_venue_for_edit(activity_id: int):
    activity = services.get_activity(activity_id)
    require_edit(current_user, activity)
    form = _prepared(ActivityForm(), [])
    del form.provider
    return _form_page(_with_found_venue(form), activity)


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


@bp.route("/<int:activity_id>/still-running")
@signed_in
def still_running(activity_id: int):
    """The reminder email's link: after signing in, one button confirms through `confirm`."""
    activity = services.get_activity(activity_id)
    require_edit(current_user, activity)
    return render_template("directory/listings/still_running.html", activity=activity, form=ConfirmForm())


@bp.route("/<int:activity_id>/confirm", methods=["POST"])
@signed_in
def confirm(activity_id: int):
    activity = services.get_activity(activity_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.confirm_still_running(actor=current_user, activity=activity, today=london_today())
    flash(f"Thank you: {activity.title} is marked as still running.", "success")
    return redirect(url_for("listings.manage"))
