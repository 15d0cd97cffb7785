"""Wellbeing pages: projects, participant codes, entry on a participant's behalf, one-time links,
results and the CSV (signed in; services check who may), and the participant's own form by link (public)."""

from flask import Blueprint, Response, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.timeutils import utcnow
from ...core.web.access import public, signed_in
from ...errors import RuleViolation
from ..projects import get_project
from ..stories.access import can_manage_stories
from . import links, results, services
from .access import can_export, require_record
from .forms import ItemsForm, LinkForm, MeasureForm
from .models import TIMEPOINTS
from .rules import item_labels

bp = Blueprint("outcomes", __name__)


@bp.route("/wellbeing-measures")
@signed_in
def index():
    return render_template("outcomes/measures/index.html", rows=services.projects_for(current_user))


@bp.route("/wellbeing-measures/projects/<int:activity_id>")
@signed_in
def project(activity_id: int):
    activity = get_project(activity_id)
    require_record(current_user, activity)
    return render_template(
        "outcomes/measures/project.html",
        activity=activity,
        timepoints=TIMEPOINTS,
        participants=services.participants_for(activity),
        can_export=can_export(current_user),
        can_manage_stories=can_manage_stories(current_user, activity),
    )


@bp.route("/wellbeing-measures/projects/<int:activity_id>/participants", methods=["POST"])
@signed_in
def add_participant(activity_id: int):
    activity = get_project(activity_id)
    participant = services.add_participant(actor=current_user, activity=activity, now=utcnow())
    flash(f"New participant code: {participant.code}. Write it on their questionnaire.", "success")
    return redirect(url_for("outcomes.project", activity_id=activity.id))


@bp.route("/wellbeing-measures/participants/<int:participant_id>/measures/new", methods=["GET", "POST"])
@signed_in
def record(participant_id: int):
    participant = services.get_participant(participant_id)
    require_record(current_user, participant.activity)
    form = MeasureForm.labelled(current_app.config)
    if form.validate_on_submit():
        answers = services.MeasureAnswers(
            timepoint=form.timepoint.data, measured_on=form.measured_on.data, items=form.items()
        )
        try:
            services.record_measure(actor=current_user, participant=participant, answers=answers, now=utcnow())
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash(f"The measure for {participant.code} is saved.", "success")
            return redirect(url_for("outcomes.project", activity_id=participant.activity_id))
    return render_template("outcomes/measures/record.html", form=form, participant=participant)


@bp.route("/wellbeing-measures/participants/<int:participant_id>/links", methods=["GET", "POST"])
@signed_in
def create_link(participant_id: int):
    """The link is shown once, in the answer to the post: only its hash is kept."""
    participant = services.get_participant(participant_id)
    require_record(current_user, participant.activity)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            created = links.create_link(
                actor=current_user, participant=participant, timepoint=form.timepoint.data, now=utcnow()
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return render_template(
                "outcomes/measures/link_created.html",
                participant=participant,
                link=created.link,
                url=url_for("outcomes.answer", token=created.token, _external=True),
                timepoint=TIMEPOINTS[created.link.timepoint],
            )
    return render_template(
        "outcomes/measures/link_form.html",
        form=form,
        participant=participant,
        licensed=item_labels(current_app.config)[1],
    )


@bp.route("/wellbeing-measures/projects/<int:activity_id>/results")
@signed_in
def project_results(activity_id: int):
    activity = get_project(activity_id)
    summary, chart = results.project_results(actor=current_user, activity=activity)
    return render_template(
        "outcomes/measures/results.html",
        activity=activity,
        summary=summary,
        chart=chart,
        can_export=can_export(current_user),
    )


@bp.route("/wellbeing-measures/projects/<int:activity_id>/item-scores.csv")
@signed_in
def item_scores(activity_id: int):
    activity = get_project(activity_id)
    body = results.item_scores_csv(actor=current_user, activity=activity)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=wellbeing-item-scores-project-{activity.id}.csv"},
    )


def _private(response: Response) -> Response:
    """Pages reached by a one-time link: never cached or indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _unusable(reason: str) -> Response:
    return _private(make_response(render_template("outcomes/measures/link_unusable.html", reason=reason), 410))


@bp.route("/wellbeing/<token>", methods=["GET", "POST"])
@public
def answer(token: str):
    try:
        link = links.usable_link(token, now=utcnow())
    except links.LinkUnusable as unusable:
        return _unusable(unusable.reason)
    form = ItemsForm.labelled(current_app.config, for_participant=True)
    if form.validate_on_submit():
        try:
            links.answer_by_link(token=token, items=form.items(), now=utcnow())
        except links.LinkUnusable as unusable:
            return _unusable(unusable.reason)
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            return redirect(url_for("outcomes.thank_you"))
    return _private(
        make_response(
            render_template("outcomes/measures/answer.html", form=form, project=link.participant.activity.title)
        )
    )


@bp.route("/wellbeing/thank-you")
@public
def thank_you():
    return render_template("outcomes/measures/thank_you.html")
