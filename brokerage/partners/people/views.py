"""A partner's people: named contacts (edited by whoever may edit the partner), and the
accounts and champions linked to it (by coordinators, with suggested champions)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...accounts.services import get_user
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.roles import Role
from ...core.web.access import roles_required
from ...errors import RuleViolation
from ..champions import services as champions
from ..organisations import services
from . import services as contacts
from .forms import ContactForm, LinkAccountForm, LinkChampionForm

bp = Blueprint("partner_people", __name__, url_prefix="/partners/<int:partner_id>")
EDITORS = (Role.COORDINATOR, Role.CHAMPION, Role.PARTNER_CONTACT)
coordinator_only = roles_required(Role.COORDINATOR)


def _to_partner(partner_id: int):
    return redirect(url_for("partners.partner_detail", partner_id=partner_id))


def _contact_page(form, partner, contact=None, status: int = 200):
    return render_template("partners/people/contact_form.html", form=form, partner=partner, contact=contact), status


@bp.route("/contacts/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def add_contact(partner_id: int):
    partner = services.partner_for_editing(actor=current_user, partner_id=partner_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contacts.add_contact(actor=current_user, partner=partner, details=form.details())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Contact added.", "success")
            return _to_partner(partner.id)
    return _contact_page(form, partner, status=400 if request.method == "POST" else 200)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_contact(partner_id: int, contact_id: int):
    partner = services.partner_for_editing(actor=current_user, partner_id=partner_id)
    contact = contacts.get_contact(partner=partner, contact_id=contact_id)
    form = ContactForm(obj=contact if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            contacts.update_contact(actor=current_user, contact=contact, details=form.details())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Contact saved.", "success")
            return _to_partner(partner.id)
    return _contact_page(form, partner, contact, status=400 if request.method == "POST" else 200)


@bp.route("/contacts/<int:contact_id>/remove", methods=["POST"])
@roles_required(*EDITORS)
def remove_contact(partner_id: int, contact_id: int):
    partner = services.partner_for_editing(actor=current_user, partner_id=partner_id)
    contact = contacts.get_contact(partner=partner, contact_id=contact_id)
    if ConfirmForm().validate_on_submit():
        try:
            contacts.remove_contact(actor=current_user, contact=contact)
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash("Contact removed.", "success")
    return _to_partner(partner.id)


def _link_forms(account_form=None, champion_form=None):
    account_form = account_form or LinkAccountForm(formdata=None)
    champion_form = champion_form or LinkChampionForm(formdata=None)
    account_form.user.choices = [(0, "Choose a person")] + [
        (user.id, f"{user.name} ({user.email})") for user in contacts.partner_contact_users()
    ]
    champion_form.champion.choices = [(0, "Choose a champion")] + [
        (user.id, user.name) for user in champions.champion_users()
    ]
    return account_form, champion_form


def _people_page(partner, account_form=None, champion_form=None, status: int = 200):
    account_form, champion_form = _link_forms(account_form, champion_form)
    return render_template(
        "partners/people/index.html",
        partner=partner,
        accounts=contacts.linked_accounts(partner),
        champions=champions.champions_for_partner(partner),
        suggestions=champions.suggest_champions(partner),
        offers=champions.help_offers_for(partner),
        account_form=account_form,
        champion_form=champion_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/people")
@coordinator_only
def manage_people(partner_id: int):
    return _people_page(services.get_partner(partner_id))


@bp.route("/accounts", methods=["POST"])
@coordinator_only
def link_account(partner_id: int):
    partner = services.get_partner(partner_id)
    form, champion_form = _link_forms(LinkAccountForm(), None)
    if form.validate_on_submit():
        try:
            user = get_user(form.user.data)
            contacts.link_account(actor=current_user, partner=partner, user=user)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{user.name} can now act for {partner.name}.", "success")
            return redirect(url_for("partner_people.manage_people", partner_id=partner.id))
    return _people_page(partner, form, champion_form, status=400)


@bp.route("/champions", methods=["POST"])
@coordinator_only
def link_champion(partner_id: int):
    partner = services.get_partner(partner_id)
    account_form, form = _link_forms(None, LinkChampionForm())
    if form.validate_on_submit():
        try:
            user = get_user(form.champion.data)
            champions.link_champion(actor=current_user, partner=partner, champion=user)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"{user.name} is now linked to {partner.name}.", "success")
            return redirect(url_for("partner_people.manage_people", partner_id=partner.id))
    return _people_page(partner, account_form, form, status=400)


@bp.route("/accounts/<int:user_id>/unlink", methods=["POST"])
@coordinator_only
def unlink_account(partner_id: int, user_id: int):
    partner, user = services.get_partner(partner_id), get_user(user_id)
    if ConfirmForm().validate_on_submit():
        contacts.unlink_account(actor=current_user, partner=partner, user=user)
        flash(f"{user.name} can no longer act for {partner.name}.", "success")
    return redirect(url_for("partner_people.manage_people", partner_id=partner.id))


@bp.route("/champions/<int:user_id>/unlink", methods=["POST"])
@coordinator_only
def unlink_champion(partner_id: int, user_id: int):
    partner, user = services.get_partner(partner_id), get_user(user_id)
    if ConfirmForm().validate_on_submit():
        champions.unlink_champion(actor=current_user, partner=partner, champion=user)
        flash(f"{user.name} is no longer linked to {partner.name}.", "success")
    return redirect(url_for("partner_people.manage_people", partner_id=partner.id))
