"""Group pages: the list, starting a group, its overview, details, bank account, safeguarding and support,
and the coordinators' list of groups needing attention."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..core.data.models import Locality
from ..core.input.forms import ConfirmForm, apply_rule_violation
from ..core.values.roles import Role
from ..core.values.timeutils import london_today
from ..core.web.access import roles_required, signed_in_scoped_too
from ..errors import RuleViolation
from ..extensions import db
from . import services
from .access import (
    can_assign_champions_and_close,
    can_edit,
    can_start_groups,
    get_group,
    group_for_editing,
    group_for_viewing,
)
from .blueprint import bp
from .constitution.services import current_version
from .forms import BankForm, ChampionForm, CloseForm, GroupForm, SafeguardingForm
from .hosting.services import hostings_of, live_hosting
from .lifecycle import readiness_for, readiness_for_many
from .meetings.services import meetings_of
from .pages import calendar_for, champions_to_suggest, groups_needing_attention, help_offers
from .people.services import officers_of

coordinator_only = roles_required(Role.COORDINATOR)


def _group_form(**kwargs) -> GroupForm:
    form = GroupForm(**kwargs)
    form.locality_id.choices = [
        (0, "Choose a locality"),
        *((place.id, place.name) for place in db.session.scalars(select(Locality).order_by(Locality.name))),
    ]
    return form


def _details(form: GroupForm) -> services.GroupDetails:
    return services.GroupDetails(
        name=form.name.data,
        aims=form.aims.data,
        activity=form.activity.data,
        locality_id=form.locality_id.data,
        meeting_place=form.meeting_place.data,
        meeting_place_private=form.meeting_place_private.data,
    )


@bp.route("/")
@signed_in_scoped_too
def list_groups():
    groups = services.list_groups(actor=current_user)
    readiness = readiness_for_many(groups)
    rows = [(group, readiness[group.id], services.public_meeting_place(group)) for group in groups]
    can_start = can_start_groups(current_user)
    return render_template("groups/list.html", rows=rows, can_start=can_start)


@bp.route("/mine")
@roles_required(Role.GROUP_ORGANISER)
def mine():
    """A group organiser's starting point: their group, or the list when they run several."""
    groups = services.list_groups(actor=current_user)
    if len(groups) == 1:
        return redirect(url_for("groups.group_page", group_id=groups[0].id))
    return redirect(url_for("groups.list_groups"))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.CHAMPION)
def new_group():
    form = _group_form()
    if form.validate_on_submit():
        try:
            group = services.create_group(actor=current_user, details=_details(form))
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{group.name} has started. Next, add its founding members.", "success")
            return redirect(url_for("groups.people", group_id=group.id))
    return render_template("groups/edit.html", form=form, group=None)


@bp.route("/<int:group_id>")
@signed_in_scoped_too
def group_page(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    live, today = live_hosting(group), london_today()
    return render_template(
        "groups/page.html",
        group=group,
        readiness=readiness_for(group),
        today=today,
        hostings=hostings_of(group),
        live_hosting=live,
        calendar=calendar_for(group=group, hosting=live, today=today),
        version=current_version(group),
        officers=officers_of(group),
        meetings=meetings_of(group),
        can_edit=can_edit(current_user, group),
        **_champion_matching(group),
    )


def _champion_matching(group) -> dict:
    """Coordinators see the champion form, champions to suggest and offers to help, each one click."""
    if not can_assign_champions_and_close(current_user):
        return {"champion_form": None}
    return {
        "champion_form": _champion_form(group),
        "suggestions": champions_to_suggest(group),
        "offers": help_offers(group),
    }


def _champion_form(group) -> ChampionForm:
    form = ChampionForm()
    form.user_id.choices = [
        (0, "Choose a champion"),
        *((user.id, user.name) for user in services.champion_choices(group)),
    ]
    return form


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@signed_in_scoped_too
def edit_group(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = _group_form(obj=group)
    if form.validate_on_submit():
        try:
            services.update_group(actor=current_user, group=group, details=_details(form))
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The group's details are saved.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return render_template("groups/edit.html", form=form, group=group)


@bp.route("/<int:group_id>/bank", methods=["GET", "POST"])
@signed_in_scoped_too
def bank(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = BankForm(
        data={"status": group.bank_status, "account_name": group.bank_account_name, "last4": group.bank_account_last4}
    )
    if form.validate_on_submit():
        try:
            services.set_bank_account(
                actor=current_user,
                group=group,
                status=form.status.data,
                account_name=form.account_name.data,
                last4=form.last4.data,
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The bank account details are saved.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return render_template("groups/bank.html", form=form, group=group, version=current_version(group))


@bp.route("/<int:group_id>/safeguarding", methods=["GET", "POST"])
@signed_in_scoped_too
def safeguarding(group_id: int):
    group = group_for_editing(actor=current_user, group_id=group_id)
    form = SafeguardingForm(data={"adopted_on": group.safeguarding_policy_on})
    if form.validate_on_submit():
        try:
            services.record_safeguarding_policy(actor=current_user, group=group, adopted_on=form.adopted_on.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The safeguarding policy date is saved.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return render_template("groups/safeguarding.html", form=form, group=group, officers=officers_of(group))


@bp.route("/<int:group_id>/champions", methods=["POST"])
@coordinator_only
def assign_champion(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    form = _champion_form(group)
    if form.validate_on_submit():
        try:
            services.assign_champion(actor=current_user, group=group, user_id=form.user_id.data)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash("The champion now supports this group.", "success")
    else:
        flash("Choose a champion.", "error")
    return redirect(url_for("groups.group_page", group_id=group.id))


@bp.route("/<int:group_id>/close", methods=["GET", "POST"])
@coordinator_only
def close_group(group_id: int):
    group = group_for_viewing(actor=current_user, group_id=group_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close_group(actor=current_user, group=group, reason=form.reason.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{group.name} is recorded as closed.", "success")
            return redirect(url_for("groups.group_page", group_id=group.id))
    return render_template("groups/close.html", form=form, group=group)


@bp.route("/<int:group_id>/help", methods=["POST"])
@roles_required(Role.CHAMPION)
def offer_help(group_id: int):
    """A champion's "I'd like to help", from their own page (they may not see the group yet)."""
    group = get_group(group_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.offer_help(actor=current_user, group=group)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(f"Thank you: a coordinator will confirm your help with {group.name}.", "success")
    return redirect(url_for("champions.my_profile"))


@bp.route("/attention")
@roles_required(Role.COORDINATOR)
def attention():
    today = london_today()
    return render_template("groups/attention.html", rows=groups_needing_attention(today=today), today=today)
