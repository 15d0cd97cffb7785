"""Partner pages: the list and search, the partner page, registering and editing, the
agreement, archiving, the coordinator's renewals list and the CSV export."""

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..audit.services import events_for
from ..core.data.models import Locality
from ..core.input.forms import ConfirmForm, apply_rule_violation
from ..core.values.roles import Role
from ..core.values.timeutils import london_today
from ..core.web.access import roles_required
from ..errors import RuleViolation
from ..extensions import db
from .access import (
    READER_ROLES,
    can_archive_partner,
    can_create_partner,
    can_edit_partner,
    can_export_partners,
    can_link_people,
    can_manage_agreements,
    can_see_full_history,
)
from .agreements.forms import AgreementForm
from .agreements.pages import agreements_needing_attention
from .agreements.rules import partner_status, safeguarding_review_due
from .agreements.services import save_agreement
from .champions.services import champions_for_partner
from .organisations import services
from .organisations.export import partners_csv
from .organisations.forms import PartnerFilterForm, PartnerForm
from .page import panels_for
from .people.services import linked_accounts
from .vocabulary import interest_label

bp = Blueprint("partners", __name__, url_prefix="/partners")
bp.add_app_template_filter(interest_label, "interest_label")
ALL_ROLES = (Role.COORDINATOR, Role.COLLECTIVE_MEMBER, Role.CHAMPION, Role.PARTNER_CONTACT)
coordinator_only = roles_required(Role.COORDINATOR)


def _localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


def _valid(field):
    """A search field's value, or None when it was not one of the choices (ignored, not an error page)."""
    return None if field.errors else field.data


def _filters(form: PartnerFilterForm, localities: list[Locality]) -> services.PartnerFilters:
    form.validate()
    by_slug = {locality.slug: locality.id for locality in localities}
    return services.PartnerFilters(
        text=_valid(form.q) or "",
        locality_id=by_slug.get(_valid(form.locality) or ""),
        type=_valid(form.type) or "",
        interest=_valid(form.interest) or "",
        status=_valid(form.status) or "",
        include_archived=bool(_valid(form.archived)),
    )


def _search(form: PartnerFilterForm):
    localities = _localities()
    form.set_locality_choices(localities)
    return services.search_partners(actor=current_user, filters=_filters(form, localities), today=london_today())


@bp.route("")
@roles_required(*ALL_ROLES)
def list_partners():
    form = PartnerFilterForm(request.args)
    partners = _search(form)
    today = london_today()
    search: dict[str, Any] = {key: value for key, value in request.args.items() if key in form.data}
    return render_template(
        "partners/list.html",
        form=form,
        partners=partners,
        export_url=url_for("partners.export_partners", **search),
        can_create=can_create_partner(current_user),
        can_manage_agreements=can_manage_agreements(current_user),
        can_export=can_export_partners(current_user),
        own_only=not current_user.has_any_role(READER_ROLES),
        statuses={p.id: partner_status(p, today=today) for p in partners},
    )


@bp.route("/export.csv")
@coordinator_only
def export_partners():
    partners = _search(PartnerFilterForm(request.args))
    today = london_today()
    body = partners_csv(actor=current_user, partners=partners, today=today)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="partners-{today.isoformat()}.csv"'},
    )


@bp.route("/renewals")
@coordinator_only
def agreements_due():
    today = london_today()
    return render_template("partners/renewals.html", due=agreements_needing_attention(today=today), today=today)


def _render_form(form: PartnerForm, partner=None, duplicate=None, status: int = 200):
    return render_template(
        "partners/form.html",
        form=form,
        partner=partner,
        duplicate=duplicate,
        can_manage_agreements=can_manage_agreements(current_user),
    ), status


def _save_partner(form: PartnerForm, save, partner=None):
    """Validate, call the service, and map its refusals onto the form."""
    if not form.validate_on_submit():
        return None, _render_form(form, partner, status=400 if request.method == "POST" else 200)
    try:
        return save(form.details()), None
    except services.DuplicatePartner as error:
        apply_rule_violation(form, error)
        return None, _render_form(form, partner, duplicate=error.existing, status=400)
    except RuleViolation as error:
        apply_rule_violation(form, error)
        return None, _render_form(form, partner, status=400)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.CHAMPION)
def new_partner():
    form = PartnerForm()
    form.set_locality_choices(_localities())
    partner, page = _save_partner(form, lambda details: services.create_partner(actor=current_user, details=details))
    if page:
        return page
    flash(f"{partner.name} is registered. Add its contacts next.", "success")
    return redirect(url_for("partners.partner_detail", partner_id=partner.id))


@bp.route("/<int:partner_id>")
@roles_required(*ALL_ROLES)
def partner_detail(partner_id: int):
    partner = services.partner_for_viewing(actor=current_user, partner_id=partner_id)
    today = london_today()
    link_people = can_link_people(current_user)
    return render_template(
        "partners/detail.html",
        partner=partner,
        report=partner_status(partner, today=today),
        today=today,
        review_due=safeguarding_review_due(partner.agreement) if partner.agreement else None,
        champions=champions_for_partner(partner),
        accounts=linked_accounts(partner) if link_people else [],
        can_edit=can_edit_partner(current_user, partner) and not partner.is_archived,
        history=events_for(object_type="partner", object_id=partner.id),
        interest_labels=[interest_label(code) for code in partner.interests],
        panels=panels_for(partner, current_user),
        confirm_form=ConfirmForm(),
        can_manage_agreements=can_manage_agreements(current_user),
        can_link_people=link_people,
        can_see_full_history=can_see_full_history(current_user),
        can_archive=can_archive_partner(current_user),
    )


def _form_data(partner) -> dict:
    return {
        **services.snapshot(partner),
        "charity_number": partner.charity_number or "",
        "company_number": partner.company_number or "",
        "postcode": partner.postcode or "",
        "localities": [locality.id for locality in partner.localities],
    }


@bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.CHAMPION, Role.PARTNER_CONTACT)
def edit_partner(partner_id: int):
    partner = services.partner_for_editing(actor=current_user, partner_id=partner_id)
    form = PartnerForm(data=_form_data(partner) if request.method == "GET" else None)
    form.set_locality_choices(_localities())
    saved, page = _save_partner(
        form, lambda details: services.update_partner(actor=current_user, partner=partner, details=details), partner
    )
    if page:
        return page
    flash("Details saved.", "success")
    return redirect(url_for("partners.partner_detail", partner_id=saved.id))


@bp.route("/<int:partner_id>/agreement", methods=["GET", "POST"])
@coordinator_only
def edit_agreement(partner_id: int):
    partner = services.get_partner(partner_id)
    form = AgreementForm(obj=partner.agreement if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            save_agreement(actor=current_user, partner=partner, terms=form.terms(), today=london_today())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Agreement saved.", "success")
            return redirect(url_for("partners.partner_detail", partner_id=partner.id))
    status = 400 if request.method == "POST" else 200
    return render_template("partners/agreement.html", form=form, partner=partner), status


def _archive(partner_id: int, archived: bool, message: str):
    partner = services.get_partner(partner_id)
    if ConfirmForm().validate_on_submit():
        services.set_archived(actor=current_user, partner=partner, archived=archived)
        flash(message.format(name=partner.name), "success")
    return redirect(url_for("partners.partner_detail", partner_id=partner.id))


@bp.route("/<int:partner_id>/archive", methods=["POST"])
@coordinator_only
def archive_partner(partner_id: int):
    return _archive(partner_id, True, "{name} is archived. Its records stay, and you can restore it.")


@bp.route("/<int:partner_id>/restore", methods=["POST"])
@coordinator_only
def restore_partner(partner_id: int):
    return _archive(partner_id, False, "{name} is restored.")
