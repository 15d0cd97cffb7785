"""Champion profiles: coordinators see every champion and record who is a service user or
staff; each champion keeps their own localities and interests up to date."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...core.data.models import Locality
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.roles import Role
from ...core.web.access import roles_required
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ..models import Partner
from . import services as champions
from .forms import ChampionProfileForm, CoordinatorChampionForm
from .panels import champion_panels

bp = Blueprint("champions", __name__, url_prefix="/champions")


def _form_data(profile) -> dict:
    if profile is None:
        return {}
    return {
        "localities": [locality.id for locality in profile.localities],
        "interests": profile.interests,
        "about": profile.about,
        "is_service_user": profile.is_service_user,
        "is_staff": profile.is_staff,
    }


def _bind(form_class, profile):
    form = form_class(data=_form_data(profile) if request.method == "GET" else None)
    form.set_locality_choices(db.session.scalars(select(Locality).order_by(Locality.name)))
    return form


@bp.route("")
@roles_required(Role.COORDINATOR)
def list_champions():
    return render_template(
        "partners/champions/index.html", champions=champions.champion_users(), profiles=champions.profiles_by_user()
    )


def _save(form, champion, **flags):
    try:
        champions.update_profile(actor=current_user, champion=champion, details=form.details(), **flags)
    except RuleViolation as error:
        apply_rule_violation(form, error)
        return False
    flash("Profile saved.", "success")
    return True


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def champion_detail(user_id: int):
    champion = champions.get_champion(user_id)
    form = _bind(CoordinatorChampionForm, champions.profile_for(champion))
    if form.validate_on_submit() and _save(
        form, champion, is_service_user=form.is_service_user.data, is_staff=form.is_staff.data
    ):
        return redirect(url_for("champions.champion_detail", user_id=champion.id))
    return render_template(
        "partners/champions/champion.html",
        champion=champion,
        form=form,
        own=False,
        partners=champions.partners_for_champion(champion),
    ), 400 if request.method == "POST" else 200


@bp.route("/me", methods=["GET", "POST"])
@roles_required(Role.CHAMPION)
def my_profile():
    champion = current_user._get_current_object()
    form = _bind(ChampionProfileForm, champions.profile_for(champion))
    if form.validate_on_submit() and _save(form, champion):
        return redirect(url_for("champions.my_profile"))
    return render_template(
        "partners/champions/champion.html",
        champion=champion,
        form=form,
        own=True,
        partners=champions.partners_for_champion(champion),
        partner_matches=champions.suggest_partners(champion),
        confirm_form=ConfirmForm(),
        panels=champion_panels(champion, current_user),
    ), 400 if request.method == "POST" else 200


@bp.route("/partners/<int:partner_id>/help", methods=["POST"])
@roles_required(Role.CHAMPION)
def offer_help(partner_id: int):
    """A champion's "I'd like to help" a partner suggested to them; a coordinator confirms it."""
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    if ConfirmForm().validate_on_submit():
        try:
            champions.offer_help_to_partner(actor=current_user, partner=partner)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(f"Thank you: a coordinator will confirm your help with {partner.name}.", "success")
    return redirect(url_for("champions.my_profile"))
