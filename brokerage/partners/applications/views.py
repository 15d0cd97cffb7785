"""The public "Become a community partner" page, and the coordinators' queue of applications."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...core.data.models import Locality
from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import utcnow
from ...core.web.access import public, roles_required
from ...errors import RuleViolation
from ...extensions import db
from ..organisations.services import DuplicatePartner
from . import pages, services
from .forms import ApplicationForm, DeclineForm

bp = Blueprint("partner_applications", __name__)
coordinator_only = roles_required(Role.COORDINATOR)


def _localities() -> list[Locality]:
    return list(db.session.scalars(select(Locality).order_by(Locality.name)))


@bp.route("/become-a-partner", methods=["GET", "POST"])
@public
def apply():
    form = ApplicationForm()
    form.set_locality_choices(_localities())
    if form.validate_on_submit():
        try:
            services.apply(
                details=form.details(), honeypot=form.homepage.data, ip=request.remote_addr or "unknown", now=utcnow()
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return redirect(url_for("partner_applications.thanks"))
    status = 400 if form.is_submitted() else 200
    return render_template("partners/applications/apply.html", form=form), status


@bp.route("/become-a-partner/thanks")
@public
def thanks():
    return render_template("partners/applications/thanks.html")


@bp.route("/partners/applications")
@coordinator_only
def queue():
    return render_template(
        "partners/applications/queue.html", waiting=pages.waiting(), decided=pages.recently_decided()
    )


def _detail_page(application, decline_form=None, status: int = 200, duplicate=None):
    return render_template(
        "partners/applications/detail.html",
        application=application,
        localities=pages.locality_names(application),
        type_label=services.type_label,
        confirm_form=ConfirmForm(),
        decline_form=decline_form or DeclineForm(),
        duplicate=duplicate,
    ), status


@bp.route("/partners/applications/<int:application_id>")
@coordinator_only
def detail(application_id: int):
    return _detail_page(services.get_application(actor=current_user, application_id=application_id))


@bp.route("/partners/applications/<int:application_id>/accept", methods=["POST"])
@coordinator_only
def accept(application_id: int):
    application = services.get_application(actor=current_user, application_id=application_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _detail_page(application, status=400)
    try:
        partner = services.accept(actor=current_user, application=application, now=utcnow())
    except DuplicatePartner as error:
        flash(error.message, "error")
        return _detail_page(application, status=400, duplicate=error.existing)
    except RuleViolation as error:
        flash(error.message, "error")
        return redirect(url_for("partner_applications.detail", application_id=application.id))
    flash(f"{partner.name} is registered as a prospective partner, and its contact can now act for it.", "success")
    return redirect(url_for("partners.partner_detail", partner_id=partner.id))


@bp.route("/partners/applications/<int:application_id>/decline", methods=["POST"])
@coordinator_only
def decline(application_id: int):
    application = services.get_application(actor=current_user, application_id=application_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.decline(actor=current_user, application=application, reason=form.reason.data, now=utcnow())
        except RuleViolation as error:
            if error.field:
                apply_rule_violation(form, error)
                return _detail_page(application, decline_form=form, status=400)
            flash(error.message, "error")
        else:
            flash(f"The application from {application.name} is declined, and they have been told why.", "success")
        return redirect(url_for("partner_applications.queue"))
    return _detail_page(application, decline_form=form, status=400)
