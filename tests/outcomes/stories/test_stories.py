"""Stories: who may add, edit and withdraw them; consent decides where they appear; withdrawal
erases them everywhere at once and is audited without the story's words."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.core.data.models import Locality
from brokerage.directory.listings import services as directory
from brokerage.directory.listings.models import Activity
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups import access as group_access
from brokerage.groups.people import services as people
from brokerage.groups import services as groups
from brokerage.outcomes.stories import services as stories
from brokerage.outcomes.reports import panels as story_panels
from brokerage.outcomes.stories.models import Story

from ..conftest import NOW, TODAY, story_details


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_coordinator_adds_a_story_with_its_consent_and_it_is_audited_without_its_words(outcomes):
    story = outcomes.story(consent="internal", media_url="https://www.example.org/recording")
    assert (story.consent, story.reporter, story.media_url) == ("internal", "Jo Reporter",
                                                                "https://www.example.org/recording")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outcomes.story_added"))
    assert event.after == {"consent": "internal", "told_on": "2026-05-06", "has_link": True, "withdrawn": False}
    assert "Singing" not in event.summary + str(event.after) and "Finding my voice" not in event.summary


@pytest.mark.parametrize("who", ["linked champion", "partner contact"])
def test_the_partners_own_champions_and_contacts_manage_its_projects_stories(outcomes, who):
    partner = outcomes.project.partner
    user = outcomes.champion_for(partner) if who == "linked champion" else outcomes.contact_for(partner)
    story = outcomes.story(actor=user)
    stories.edit_story(actor=user, story=story, details=story_details(consent="not_yet"), today=TODAY, now=NOW)
    stories.withdraw_story(actor=user, story=story, now=NOW)
    assert story.is_withdrawn and story.withdrawn_by_id == user.id


def _outsiders(outcomes) -> dict:
    other = outcomes.partner(name="Halifax Arts Café", locality="calderdale")
    return {"unlinked champion": outcomes.user(Role.CHAMPION),
            "another partner's champion": outcomes.champion_for(other),
            "another partner's contact": outcomes.contact_for(other),
            "collective member": outcomes.user(Role.COLLECTIVE_MEMBER)}


@pytest.mark.parametrize("who", ["unlinked champion", "another partner's champion", "another partner's contact",
                                 "collective member"])
def test_people_outside_the_partner_may_not_add_edit_withdraw_or_list_stories(outcomes, who):
    story = outcomes.story()
    outsider = _outsiders(outcomes)[who]
    with pytest.raises(PermissionDenied):
        outcomes.story(actor=outsider)
    with pytest.raises(PermissionDenied):
        stories.edit_story(actor=outsider, story=story, details=story_details(title="Changed"), today=TODAY, now=NOW)
    with pytest.raises(PermissionDenied):
        stories.withdraw_story(actor=outsider, story=story, now=NOW)
    with pytest.raises(PermissionDenied):
        stories.stories_for_project(actor=outsider, activity=outcomes.project)
    db.session.refresh(story)
    assert story.title == "Finding my voice" and not story.is_withdrawn and _count(Story) == 1


@pytest.mark.parametrize("changes, field, message", [
    ({"title": " "}, "title", "Enter a title"),
    ({"text": ""}, "text", "Enter the story"),
    ({"reporter": ""}, "reporter", "community reporter"),
    ({"title": "x" * 121}, "title", "120 characters or fewer"),
    ({"media_url": "javascript:alert(1)"}, "media_url", "starting with https://"),
    ({"media_url": "ftp://files.example.org/story.mp3"}, "media_url", "starting with https://"),
    ({"media_url": "data:text/html,hello"}, "media_url", "starting with https://"),
    ({"told_on": None}, "told_on", "Enter the date"),
    ({"told_on": date(2026, 6, 16)}, "told_on", "cannot be in the future"),
    ({"consent": "maybe"}, "consent", "Choose what the storyteller agreed to"),
])
def test_bad_story_details_are_refused_by_field_and_nothing_is_saved(outcomes, changes, field, message):
    assert outcomes.project
    events = _count(AuditEvent)
    with pytest.raises(RuleViolation) as refused:
        outcomes.story(**changes)
    assert refused.value.field == field and message in refused.value.message
    assert _count(Story) == 0 and _count(AuditEvent) == events


def test_a_link_without_a_scheme_is_kept_as_https(outcomes):
    assert outcomes.story(media_url="www.example.org/story").media_url == "https://www.example.org/story"


def _public(project) -> list[str]:
    return [story.title for story in stories.shown_stories(where=Activity.id == project.id, internal=False)]


def _internal(project) -> list[str]:
    return [story.title for story in stories.shown_stories(where=Activity.id == project.id, internal=True)]


def test_consent_decides_where_a_story_is_shown(outcomes):
    outcomes.story(title="Published", consent="public")
    outcomes.story(title="Internal", consent="internal")
    outcomes.story(title="Waiting", consent="not_yet")
    assert _public(outcomes.project) == ["Published"]
    assert sorted(_internal(outcomes.project)) == ["Internal", "Published"]


def test_withdrawal_erases_the_story_hides_it_everywhere_and_is_audited(outcomes):
    story = outcomes.story(media_url="https://www.example.org/recording")
    assert story_panels.activity_stories(outcomes.project, None) is not None
    stories.withdraw_story(actor=outcomes.coordinator, story=story, now=NOW)
    stored = db.session.get(Story, story.id)
    assert (stored.title, stored.text, stored.media_url, stored.withdrawn_at) == ("", "", "", NOW)
    assert _public(outcomes.project) == [] and _internal(outcomes.project) == []
    assert story_panels.activity_stories(outcomes.project, None) is None
    assert story_panels.partner_stories(outcomes.project.partner, outcomes.user(Role.COLLECTIVE_MEMBER)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outcomes.story_withdrawn"))
    assert event.before["consent"] == "public" and event.after["withdrawn"] is True
    assert "Singing" not in str(event.before) + str(event.after) + event.summary


def test_a_withdrawn_story_cannot_be_changed_or_withdrawn_again(outcomes):
    story = outcomes.story()
    stories.withdraw_story(actor=outcomes.coordinator, story=story, now=NOW)
    with pytest.raises(RuleViolation, match="withdrawn and cannot be changed"):
        stories.edit_story(actor=outcomes.coordinator, story=story, details=story_details(), today=TODAY, now=NOW)
    with pytest.raises(RuleViolation, match="already been withdrawn"):
        stories.withdraw_story(actor=outcomes.coordinator, story=story, now=NOW)


def test_the_database_refuses_a_withdrawn_story_that_keeps_its_words(outcomes):
    story = outcomes.story()
    story.withdrawn_at = NOW
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_changing_the_consent_is_audited_with_before_and_after(outcomes):
    story = outcomes.story(consent="not_yet")
    stories.edit_story(actor=outcomes.coordinator, story=story, details=story_details(consent="public"), today=TODAY,
                       now=NOW)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outcomes.story_edited"))
    assert (event.before["consent"], event.after["consent"]) == ("not_yet", "public")
    assert _public(outcomes.project) == ["Finding my voice"]


def test_stories_still_without_consent_after_six_months_are_erased_by_the_daily_task(outcomes, runner, fixed_now):
    waiting = outcomes.story(title="Waiting", consent="not_yet")
    published = outcomes.story(title="Published", consent="public")
    fixed_now(NOW + timedelta(days=182))
    assert stories.erase_unconsented_stories(now=NOW + timedelta(days=182)) == 0
    db.session.commit()
    fixed_now(NOW + timedelta(days=184))
    result = runner.invoke(args=["outcomes", "erase-unconsented-stories"])
    assert result.exit_code == 0 and "Stories erased: 1." in result.output
    db.session.expire_all()
    assert db.session.get(Story, waiting.id).is_withdrawn and db.session.get(Story, waiting.id).text == ""
    assert not db.session.get(Story, published.id).is_withdrawn
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outcomes.stories_erased"))
    assert event.after == {"erased": 1}


def test_a_groups_supporting_champion_manages_its_stories_but_not_its_officers(outcomes):
    champion = outcomes.user(Role.CHAMPION)
    officer = outcomes.user(Role.COLLECTIVE_MEMBER, email="chair@example.org")
    locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == "wakefield"))
    group = groups.create_group(actor=champion, details=groups.GroupDetails(
        name="Wakefield Walkers", aims="Walking for wellbeing.", activity="A weekly walk.",
        locality_id=locality_id, meeting_place="The Ridings", meeting_place_private=False))
    chair = people.add_person(actor=champion, group=group, new=people.NewPerson(
        name="Chris Chair", contact=None, consent_given=False, consent_on=None, account_email="chair@example.org"))
    people.set_officers(actor=champion, group=group, holders={"chair": chair.id})
    walk = directory.create_activity(actor=champion, provider_key=f"group-{group.id}", now=NOW,
                                     details=outcomes.details(title="Riverside walk", categories=("walking",),
                                                              postcode="WF1 5AW"))
    assert group_access.can_edit(officer, group)
    assert outcomes.story(project=walk, actor=champion).activity_id == walk.id
    for outsider in (officer, outcomes.user(Role.CHAMPION)):
        with pytest.raises(PermissionDenied):
            outcomes.story(project=walk, actor=outsider)
