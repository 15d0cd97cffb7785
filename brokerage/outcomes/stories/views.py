"""Story pages for the people who run a project: the list, adding, editing and withdrawing
(signed in; access.py decides who, per project)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ...core.input.forms import ConfirmForm, apply_rule_violation
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import signed_in
from ...errors import RuleViolation
from ..projects import get_project
from . import services as stories
from .access import require_manage_stories
from .forms import StoryForm

bp = Blueprint("stories", __name__, url_prefix="/wellbeing-measures")


@bp.route("/projects/<int:activity_id>/stories")
@signed_in
def project_stories(activity_id: int):
    activity = get_project(activity_id)
    return render_template(
        "outcomes/stories/index.html",
        activity=activity,
        stories=stories.stories_for_project(actor=current_user, activity=activity),
    )


@bp.route("/projects/<int:activity_id>/stories/new", methods=["GET", "POST"])
@signed_in
def add_story(activity_id: int):
    activity = get_project(activity_id)
    require_manage_stories(current_user, activity)
    form = StoryForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            stories.add_story(
                actor=current_user, activity=activity, details=form.details(), today=london_today(now), now=now
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The story is saved.", "success")
            return redirect(url_for("stories.project_stories", activity_id=activity.id))
    return render_template("outcomes/stories/form.html", form=form, activity=activity, story=None)


@bp.route("/stories/<int:story_id>/edit", methods=["GET", "POST"])
@signed_in
def edit_story(story_id: int):
    story = stories.get_story(story_id)
    require_manage_stories(current_user, story.activity)
    form = StoryForm(obj=story)
    if not story.is_withdrawn and form.validate_on_submit():
        now = utcnow()
        try:
            stories.edit_story(
                actor=current_user, story=story, details=form.details(), today=london_today(now), now=now
            )
        except RuleViolation as error:
            apply_rule_violation(form, error)
        else:
            flash("The story is updated.", "success")
            return redirect(url_for("stories.project_stories", activity_id=story.activity_id))
    return render_template(
        "outcomes/stories/form.html", form=form, activity=story.activity, story=story, confirm_form=ConfirmForm()
    )


@bp.route("/stories/<int:story_id>/withdraw", methods=["POST"])
@signed_in
def withdraw_story(story_id: int):
    story = stories.get_story(story_id)
    if ConfirmForm().validate_on_submit():
        try:
            stories.withdraw_story(actor=current_user, story=story, now=utcnow())
        except RuleViolation as error:
            flash(error.message, "error")
        else:
            flash("The story is withdrawn: it is no longer shown anywhere, and its words are erased.", "success")
    return redirect(url_for("stories.project_stories", activity_id=story.activity_id))
