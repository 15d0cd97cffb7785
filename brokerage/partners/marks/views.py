"""The mark's pages: coordinators' schemes, criteria, waiting applications and expiring awards;
a partner's application with evidence; the assessment and decision. None of it is public."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ..models import Partner
from . import pages, services
from .access import may_apply_for, may_run_schemes
from .forms import CriterionForm, SchemeDetailsForm, SchemeForm, decision_form, evidence_form
from .models import MarkScheme

bp = Blueprint("marks", __name__)
coordinator_only = roles_required(Role.COORDINATOR)
partner_people = roles_required(Role.COORDINATOR, Role.PARTNER_CONTACT)


def _schemes_page(form: SchemeForm | None = None, status: int = 200):
    form = form or SchemeForm()
    form.locality.choices = [(locality.id, locality.name) for locality in pages.localities_without_scheme()]
    return render_template(
        "partners/marks/schemes.html",
        form=form,
        schemes=pages.schemes(),
        waiting=pages.waiting(),
        expiring=pages.expiring(london_today()),
        today=london_today(),
    ), status


@bp.route("/partners/marks")
@coordinator_only
def schemes():
    return _schemes_page()


@bp.route("/partners/marks", methods=["POST"])
@coordinator_only
def create_scheme():
    form = SchemeForm()
    form.locality.choices = [(locality.id, locality.name) for locality in pages.localities_without_scheme()]
    if form.validate_on_submit():
        try:
            scheme = services.create_scheme(
                actor=current_user,
                locality_id=form.locality.data,
                name=form.name.data,
                mark_text=form.mark_text.data,
                award_months=form.award_months.data,
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The {scheme.name} scheme is set up. Now add its criteria.", "success")
            return redirect(url_for("marks.scheme", scheme_id=scheme.id))
    return _schemes_page(form, 400)


def _scheme(scheme_id: int) -> MarkScheme:
    scheme = db.session.get(MarkScheme, scheme_id)
    if scheme is None:
        raise NotFound()
    return scheme


def _scheme_page(scheme: MarkScheme, form: CriterionForm | None = None, status: int = 200):
    return render_template(
        "partners/marks/scheme.html", scheme=scheme, form=form or CriterionForm(), confirm_form=ConfirmForm()
    ), status


@bp.route("/partners/marks/schemes/<int:scheme_id>", methods=["GET", "POST"])
@coordinator_only
def scheme(scheme_id: int):
    scheme = _scheme(scheme_id)
    form = CriterionForm()
    if form.validate_on_submit():
        try:
            services.add_criterion(actor=current_user, scheme=scheme, name=form.name.data, minimum=form.minimum.data)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Criterion added.", "success")
            return redirect(url_for("marks.scheme", scheme_id=scheme.id))
    return _scheme_page(scheme, form, 400 if form.is_submitted() else 200)


@bp.route("/partners/marks/schemes/<int:scheme_id>/edit", methods=["GET", "POST"])
@coordinator_only
def edit_scheme(scheme_id: int):
    scheme = _scheme(scheme_id)
    form = SchemeDetailsForm(obj=scheme)
    if form.validate_on_submit():
        try:
            services.edit_scheme(
                actor=current_user,
                scheme=scheme,
                name=form.name.data,
                mark_text=form.mark_text.data,
                award_months=form.award_months.data,
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The scheme is changed.", "success")
            return redirect(url_for("marks.scheme", scheme_id=scheme.id))
    return render_template(
        "partners/marks/scheme_edit.html", scheme=scheme, form=form
    ), 400 if form.is_submitted() else 200


@bp.route("/partners/marks/criteria/<int:criterion_id>", methods=["GET", "POST"])
@coordinator_only
def edit_criterion(criterion_id: int):
    criterion = services.get_criterion(actor=current_user, criterion_id=criterion_id)
    form = CriterionForm(obj=criterion)
    if form.validate_on_submit():
        try:
            services.edit_criterion(
                actor=current_user, criterion=criterion, name=form.name.data, minimum=form.minimum.data
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Criterion changed.", "success")
            return redirect(url_for("marks.scheme", scheme_id=criterion.scheme_id))
    return render_template(
        "partners/marks/criterion.html",
        criterion=criterion,
        form=form,
        scheme=db.session.get(MarkScheme, criterion.scheme_id),
    ), 400 if form.is_submitted() else 200


@bp.route("/partners/marks/criteria/<int:criterion_id>/remove", methods=["POST"])
@coordinator_only
def remove_criterion(criterion_id: int):
    criterion = services.get_criterion(actor=current_user, criterion_id=criterion_id)
    scheme_id = criterion.scheme_id
    if ConfirmForm().validate_on_submit():
        try:
            retired = services.remove_criterion(actor=current_user, criterion=criterion, now=utcnow())
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash(
                "Criterion retired: applications already assessed against it keep it."
                if retired
                else "Criterion removed.",
                "success",
            )
    return redirect(url_for("marks.scheme", scheme_id=scheme_id))


def _partner(partner_id: int) -> Partner:
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    if not may_apply_for(current_user, partner.id):
        raise PermissionDenied()
    return partner


@bp.route("/partners/<int:partner_id>/mark", methods=["GET", "POST"])
@partner_people
def apply(partner_id: int):
    partner = _partner(partner_id)
    scheme = services.scheme_for_partner(partner)
    form = evidence_form(scheme) if scheme is not None else None
    if form is not None and form.validate_on_submit():
        try:
            application = services.apply(
                actor=current_user, partner=partner, evidence=form.evidence(), today=london_today(), now=utcnow()
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("Your application is sent. A coordinator will assess it.", "success")
            return redirect(url_for("marks.application", application_id=application.id))
    status = 400 if form is not None and form.is_submitted() else 200
    return render_template(
        "partners/marks/apply.html",
        partner=partner,
        scheme=scheme,
        form=form,
        applications=pages.partner_applications(partner.id),
        today=london_today(),
    ), status


def _application_page(application, form=None, status: int = 200):
    may_decide = may_run_schemes(current_user) and application.state == "submitted"
    partner = db.session.get(Partner, application.partner_id)
    return render_template(
        "partners/marks/application.html",
        application=application,
        partner=partner,
        form=form or (decision_form(application) if may_decide else None),
        today=london_today(),
    ), status


@bp.route("/partners/marks/applications/<int:application_id>")
@partner_people
def application(application_id: int):
    return _application_page(services.get_application(actor=current_user, application_id=application_id))


@bp.route("/partners/marks/applications/<int:application_id>", methods=["POST"])
@coordinator_only
def decide(application_id: int):
    application = services.get_application(actor=current_user, application_id=application_id)
    form = decision_form(application)
    if form.validate_on_submit():
        try:
            services.decide(
                actor=current_user,
                application=application,
                assessments=form.assessments(),
                awarded_until=form.awarded_until.data,
                missing=form.missing.data or "",
                today=london_today(),
                now=utcnow(),
            )
        except RuleViolation as error:
            if not error.field:
                flash(error.message, "error")
                return redirect(url_for("marks.application", application_id=application.id))
            apply_rule_violation(form, error)
        else:
            flash(
                "The mark is awarded." if application.state == "awarded" else "The club has been told what is missing.",
                "success",
            )
            return redirect(url_for("marks.application", application_id=application.id))
    return _application_page(application, form, 400)
