"""Community reporter stories: added and edited by the people who run a project (access.py),
with consent recorded; published stories are shown on the activity and partner pages.

Withdrawal is final and immediate: the title, text and link are erased in the same transaction,
so the story disappears from every page, report and CSV at once, and no copy is kept (the audit
trail records who withdrew it and when, never its words). A story needed again is added again,
with fresh consent. A story still without consent 6 months after it was added is erased the same
way (`flask outcomes erase-unconsented-stories`, daily): nobody may use it, so it is not kept."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.results import rows_changed
from ...core.data.unit_of_work import unit_of_work
from ...directory.listings.models import Activity
from ...errors import NotFound, RuleViolation
from ...extensions import db
from ...partners.validation import clean_text, normalise_website
from .access import require_manage_stories
from .models import CONSENTS, Story

UNCONSENTED_RETENTION = timedelta(days=183)  # about 6 months to ask for and record consent
LIMITS = {"title": 120, "reporter": 120, "text": 10_000, "media_url": 500}
REQUIRED = {
    "title": "Enter a title for the story.",
    "text": "Enter the story.",
    "reporter": "Enter the name of the community reporter who collected the story.",
}


@dataclass(frozen=True)
class StoryDetails:
    title: str
    text: str
    media_url: str
    reporter: str
    told_on: date | None
    consent: str


def get_story(story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None:
        raise NotFound()
    return story


def _media_url(text: str) -> str:
    try:
        return normalise_website(text)
    except ValueError as error:
        raise RuleViolation(
            "Enter a link to the audio or video starting with https://, like https://www.example.org/story.",
            field="media_url",
        ) from error


def checked(details: StoryDetails, *, today: date) -> StoryDetails:
    """The details, trimmed and without control characters, checked; RuleViolation by field for anything missing, too long,
    a link that is not http(s), a date in the future or an unknown consent."""
    values: dict[str, Any] = {name: clean_text(getattr(details, name)) for name in LIMITS}
    for name, message in REQUIRED.items():
        if not values[name]:
            raise RuleViolation(message, field=name)
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise RuleViolation(f"Use {limit:,} characters or fewer.", field=name)
    if details.told_on is None:
        raise RuleViolation("Enter the date the story was told.", field="told_on")
    if details.told_on > today:
        raise RuleViolation("The date the story was told cannot be in the future.", field="told_on")
    if details.consent not in CONSENTS:
        raise RuleViolation("Choose what the storyteller agreed to.", field="consent")
    return StoryDetails(
        **{
            **values,
            "media_url": _media_url(values["media_url"]),
            "told_on": details.told_on,
            "consent": details.consent,
        }
    )


def _record(actor: User, story: Story, action: str, verb: str, before: dict | None = None) -> None:
    """Audit a change without the story's words: the consent, the date and whether it has a link."""
    record_event(
        actor=actor,
        action=f"outcomes.story_{action}",
        object_type="story",
        object_id=story.id,
        summary=f"Story {story.id} for {story.activity.title} {verb}",
        before=before,
        after={
            "consent": story.consent,
            "told_on": story.told_on.isoformat(),
            "has_link": bool(story.media_url),
            "withdrawn": story.is_withdrawn,
        },
    )


def _apply(story: Story, details: StoryDetails) -> None:
    for name in ("title", "text", "media_url", "reporter", "told_on", "consent"):
        setattr(story, name, getattr(details, name))


def add_story(*, actor: User, activity: Activity, details: StoryDetails, today: date, now: datetime) -> Story:
    """Add a story to a project. Raises PermissionDenied unless the actor runs the project's
    stories, RuleViolation (by field) for bad details; nothing is saved then."""
    with unit_of_work():
        require_manage_stories(actor, activity)
        clean = checked(details, today=today)
        story = Story(activity_id=activity.id, created_by_id=actor.id, created_at=now, updated_at=now)
        _apply(story, clean)
        db.session.add(story)
        db.session.flush()
        _record(actor, story, "added", "added")
    return story


def edit_story(*, actor: User, story: Story, details: StoryDetails, today: date, now: datetime) -> Story:
    """Change a story or its consent. Raises PermissionDenied as add_story, RuleViolation for bad
    details or a withdrawn story (which cannot come back)."""
    with unit_of_work():
        require_manage_stories(actor, story.activity)
        if story.is_withdrawn:
            raise RuleViolation("This story has been withdrawn and cannot be changed. Add it again with new consent.")
        clean = checked(details, today=today)
        before = {"consent": story.consent, "told_on": story.told_on.isoformat(), "has_link": bool(story.media_url)}
        _apply(story, clean)
        story.updated_at = now
        _record(actor, story, "edited", "changed", before=before)
    return story


def withdraw_story(*, actor: User, story: Story, now: datetime) -> Story:
    """Withdraw a story: erase its title, text and link at once, so it is shown nowhere again.
    Raises PermissionDenied as add_story, RuleViolation if it is already withdrawn."""
    with unit_of_work():
        require_manage_stories(actor, story.activity)
        if story.is_withdrawn:
            raise RuleViolation("This story has already been withdrawn.")
        before = {"consent": story.consent, "told_on": story.told_on.isoformat(), "has_link": bool(story.media_url)}
        story.title, story.text, story.media_url = "", "", ""
        story.withdrawn_at, story.withdrawn_by_id, story.updated_at = now, actor.id, now
        _record(actor, story, "withdrawn", "withdrawn", before=before)
    return story


def stories_for_project(*, actor: User, activity: Activity) -> list[Story]:
    """Every story of the project, newest first, withdrawn ones included (as a record). Raises
    PermissionDenied unless the actor runs the project's stories."""
    require_manage_stories(actor, activity)
    return list(
        db.session.scalars(
            select(Story).where(Story.activity_id == activity.id).order_by(Story.told_on.desc(), Story.id.desc())
        )
    )


def shown_stories(
    *, where, internal: bool, since: date | None = None, until: date | None = None, limit: int | None = None
) -> list[Story]:
    """Stories that may be shown: published ones, and with `internal` those shared internally
    too; never withdrawn or not yet consented. `where` is a condition on Activity (the scope);
    since/until bound the date told (inclusive). Newest first."""
    consents = ("public", "internal") if internal else ("public",)
    query = (
        select(Story)
        .join(Activity, Activity.id == Story.activity_id)
        .where(where, Story.withdrawn_at.is_(None), Story.consent.in_(consents))
        .order_by(Story.told_on.desc(), Story.id.desc())
    )
    if since is not None:
        query = query.where(Story.told_on >= since)
    if until is not None:
        query = query.where(Story.told_on <= until)
    return list(db.session.scalars(query.limit(limit)))


def erase_unconsented_stories(*, now: datetime) -> int:
    """Erase stories still without consent (not yet) UNCONSENTED_RETENTION after they were added,
    as a withdrawal by nobody: a story nobody may use is not kept. Returns how many were erased."""
    with unit_of_work():
        cutoff = now - UNCONSENTED_RETENTION
        erased = rows_changed(
            db.session.execute(
                update(Story)
                .where(Story.consent == "not_yet", Story.withdrawn_at.is_(None), Story.created_at <= cutoff)
                .values(title="", text="", media_url="", withdrawn_at=now, updated_at=now)
            )
        )
        if erased:
            record_event(
                actor=None,
                action="outcomes.stories_erased",
                object_type="story",
                object_id=None,
                summary=f"Erased {erased} stories still without consent after 6 months",
                after={"erased": erased},
            )
    return erased
