"""Guided first visits: asking (public, from a marked club's activity), the private status page
behind the link a person with no account is given, a worker's own requests, and the club's
requests, answers and outcomes (its partner contacts and coordinators only)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import public, roles_required, signed_in
from ...core.web.security import no_store
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...partners.models import Partner
from ..listings import services as listings
from . import pages, services
from .access import may_see_requests, offers_guided_visits
from .forms import AnswerForm, AskForm, OutcomeForm, chosen_start
from .rules import RETENTION_WORDS, is_closed, may_answer

bp = Blueprint("visits", __name__)
club_people = roles_required(Role.COORDINATOR, Role.PARTNER_CONTACT)


def _ask_page(activity, form: AskForm, status: int = 200):
    return render_template(
        "directory/visits/ask.html",
        activity=activity,
        form=form,
        retention=RETENTION_WORDS,
        signed_in=current_user.is_authenticated,
    ), status


@bp.route("/activities/<int:activity_id>/guided-visit", methods=["GET", "POST"])
@public
@no_store  # shows back the name and contact details typed in
def ask(activity_id: int):
    activity = listings.get_activity(activity_id)
    if not offers_guided_visits(activity, london_today()):
        raise NotFound()
    form = AskForm()
    form.session.choices = pages.session_choices(services.upcoming_sessions(activity, utcnow()))
    form.consent.label.text = (
        f"{activity.provider_name} and Creative Minds may keep these details and contact me about this visit"
    )
    if not form.validate_on_submit():
        return _ask_page(activity, form, 400 if form.is_submitted() else 200)
    asked = services.VisitRequest(
        starts_at=chosen_start(form.session.data),
        meet=form.meet.data or "either",
        may_count=form.may_count.data,
        first_name=form.first_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        consent=form.consent.data,
    )
    try:
        visit, token = services.ask(
            activity=activity,
            requester=current_user,
            request=asked,
            honeypot=form.homepage.data,
            ip=request.remote_addr or "unknown",
            now=utcnow(),
        )
    except RuleViolation as error:
        apply_rule_violation(form, error)
        return _ask_page(activity, form, 400)
    if visit is not None and token is None:
        flash(f"Your request is sent to {activity.provider_name}. You will see their answer here.", "success")
        return redirect(url_for("visits.mine"))
    # A person with no account sees their private link once, here; only its hash is kept.
    return render_template(
        "directory/visits/asked.html",
        activity=activity,
        retention=RETENTION_WORDS,
        link=url_for("visits.status", token=token, _external=True) if token else None,
    )


@bp.route("/guided-visits/status/<token>")
@public
@no_store
def status(token: str):
    visit = services.visit_for_token(token, utcnow())
    return render_template(
        "directory/visits/status.html",
        visit=visit,
        retention=RETENTION_WORDS,
        session=pages.session_label(visit.starts_at, visit.ends_at),
        closed=is_closed(visit.ends_at, utcnow()),
    )


@bp.route("/guided-visits/mine")
@signed_in
def mine():
    rows = pages.my_requests(current_user, utcnow() - pages.ANSWERS_SHOWN_FOR)
    return render_template(
        "directory/visits/mine.html", rows=[(row, pages.session_label(row.starts_at, row.ends_at)) for row in rows]
    )


@bp.route("/partners/<int:partner_id>/guided-visits")
@club_people
@no_store
def requests(partner_id: int):
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise NotFound()
    if not may_see_requests(current_user, partner.id):
        raise PermissionDenied()
    return render_template(
        "directory/visits/requests.html",
        partner=partner,
        retention=RETENTION_WORDS,
        rows=pages.club_requests(partner.id, utcnow()),
        figures=pages.report(partner.id),
    )


def _request_page(
    visit, answer_form: AnswerForm | None = None, outcome_form: OutcomeForm | None = None, status: int = 200
):
    now = utcnow()
    answerable, closed = may_answer(visit.state, visit.ends_at, now), is_closed(visit.ends_at, now)
    if answerable:
        answer_form = answer_form or AnswerForm()
        answer_form.session.choices = [
            choice
            for choice in pages.session_choices(services.upcoming_sessions(visit.activity, now))
            if chosen_start(choice[0]) != visit.starts_at
        ]
    if closed:
        outcome_form = outcome_form or OutcomeForm(
            data={
                "came": None if visit.came is None else ("yes" if visit.came else "no"),
                "came_back": "unknown" if visit.came_back is None else ("yes" if visit.came_back else "no"),
            }
        )
    asker, reach = pages.asker_of(visit)
    return render_template(
        "directory/visits/request.html",
        visit=visit,
        asker=asker,
        reach=reach,
        session=pages.session_label(visit.starts_at, visit.ends_at),
        retention=RETENTION_WORDS,
        answer_form=answer_form if answerable else None,
        outcome_form=outcome_form if closed else None,
    ), status


@bp.route("/guided-visits/<int:visit_id>")
@club_people
@no_store
def request_page(visit_id: int):
    return _request_page(services.get_visit(actor=current_user, visit_id=visit_id))


@bp.route("/guided-visits/<int:visit_id>/answer", methods=["POST"])
@club_people
def answer(visit_id: int):
    visit = services.get_visit(actor=current_user, visit_id=visit_id)
    form = AnswerForm()
    form.session.choices = pages.session_choices(services.upcoming_sessions(visit.activity, utcnow()))
    if form.validate_on_submit():
        try:
            services.answer(
                actor=current_user,
                visit=visit,
                accept=form.decision.data == "accept",
                starts_at=chosen_start(form.session.data),
                note=form.note.data or "",
                now=utcnow(),
            )
        except RuleViolation as error:
            if not error.field:
                flash(error.message, "error")
                return redirect(url_for("visits.request_page", visit_id=visit.id))
            apply_rule_violation(form, error)
        else:
            flash(
                "Your answer is recorded."
                + (
                    " They have been told by email."
                    if visit.requester_id or visit.email
                    else " Ring them to tell them."
                ),
                "success",
            )
            return redirect(url_for("visits.request_page", visit_id=visit.id))
    return _request_page(visit, answer_form=form, status=400)


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@bp.route("/guided-visits/<int:visit_id>/outcome", methods=["POST"])
@club_people
def outcome(visit_id: int):
    visit = services.get_visit(actor=current_user, visit_id=visit_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.record_outcome(
                actor=current_user,
                visit=visit,
                came=_yes_no(form.came.data),
                came_back=_yes_no(form.came_back.data),
                now=utcnow(),
            )
        except RuleViolation as error:
            if not error.field:
                flash(error.message, "error")
                return redirect(url_for("visits.request_page", visit_id=visit.id))
            apply_rule_violation(form, error)
        else:
            flash("Recorded. It counts in the club's report if the person agreed.", "success")
            return redirect(url_for("visits.requests", partner_id=visit.partner_id))
    return _request_page(visit, outcome_form=form, status=400)
