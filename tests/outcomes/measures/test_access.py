"""Who may open a project's wellbeing pages: coordinators and the people who run the project
(champions linked to its partner or supporting its group, the partner's contacts), never a
champion who does not support it. Every project-level outcomes route is tried."""
from datetime import date

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.directory.listings import services as directory
from brokerage.extensions import db
from brokerage.groups import services as groups
from brokerage.outcomes.measures import services
from brokerage.outcomes.measures.models import OutcomeParticipant, WellbeingLink, WellbeingMeasure
from brokerage.outcomes.stories.models import Story

from ...conftest import page_text
from ..conftest import NOW

MEASURE = {"timepoint": "end", "measured_on": "2026-05-20", **{f"item_{n}": "3" for n in range(1, 8)}}
STORY = {"title": "Back on the pitch", "text": "Tuesdays matter now.", "media_url": "", "reporter": "Jo",
         "told_on": "2026-05-06", "consent": "public"}
# (method, path, form): every route that opens or changes one project's wellbeing records
ROUTES = [
    ("GET", "/wellbeing-measures/projects/{project}", None),
    ("POST", "/wellbeing-measures/projects/{project}/participants", {}),
    ("GET", "/wellbeing-measures/participants/{participant}/measures/new", None),
    ("POST", "/wellbeing-measures/participants/{participant}/measures/new", MEASURE),
    ("GET", "/wellbeing-measures/participants/{participant}/links", None),
    ("POST", "/wellbeing-measures/participants/{participant}/links", {"timepoint": "end"}),
    ("GET", "/wellbeing-measures/projects/{project}/results", None),
    ("GET", "/wellbeing-measures/projects/{project}/stories", None),
    ("GET", "/wellbeing-measures/projects/{project}/stories/new", None),
    ("POST", "/wellbeing-measures/projects/{project}/stories/new", STORY),
    ("GET", "/wellbeing-measures/stories/{story}/edit", None),
    ("POST", "/wellbeing-measures/stories/{story}/edit", STORY),
    ("GET", "/impact/reports/project/{project}?year=2026", None),
    ("GET", "/impact/reports/project/{project}.csv?year=2026", None),
]


def _rows() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (OutcomeParticipant, WellbeingMeasure, WellbeingLink, Story)}


def _group_project(outcomes, champion):
    """A peer-led group's walk in Wakefield, supported by `champion` (who started the group)."""
    wakefield = db.session.scalar(select(Locality.id).where(Locality.slug == "wakefield"))
    group = groups.create_group(actor=champion, details=groups.GroupDetails(
        name="Wakefield Walkers", aims="Walking for wellbeing.", activity="A weekly walk.",
        locality_id=wakefield, meeting_place="The Ridings", meeting_place_private=False))
    return directory.create_activity(actor=champion, provider_key=f"group-{group.id}", now=NOW,
                                     details=outcomes.details(title="Riverside walk", categories=("walking",),
                                                              postcode="WF1 5AW"))


@pytest.fixture
def world(outcomes, fixed_now):
    """A partner's project and a group's project, each with a participant and a story, and
    champions who support one or the other, or neither."""
    fixed_now(NOW)
    group_champion = outcomes.user(Role.CHAMPION)
    projects = {"partner": outcomes.project, "group": _group_project(outcomes, group_champion)}
    people = {"coordinator": outcomes.coordinator, "linked champion": outcomes.champion_for(outcomes.project.partner),
              "supporting champion": group_champion, "unlinked champion": outcomes.user(Role.CHAMPION),
              "other partner's champion": outcomes.champion_for(outcomes.partner(name="Arts Café",
                                                                                 locality="kirklees"))}
    ids = {}
    for kind, project in projects.items():
        participant = outcomes.participant(project)
        outcomes.measure(participant, on=date(2026, 4, 20))
        ids[kind] = {"project": project.id, "participant": participant.id,
                     "story": outcomes.story(project=project).id}
    db.session.commit()  # and nothing after it: SQLite would hold the write lock for the next request
    return ids, people


def _answer(client, method, path, form, ids):
    url = path.format(**ids)
    return client.get(url) if method == "GET" else client.post(url, data=form)


ALLOWED = [("coordinator", "partner"), ("linked champion", "partner"), ("coordinator", "group"),
           ("supporting champion", "group")]
FORBIDDEN = [("unlinked champion", "partner"), ("other partner's champion", "partner"),
             ("supporting champion", "partner"), ("unlinked champion", "group"), ("linked champion", "group")]


@pytest.mark.parametrize("who, kind", FORBIDDEN, ids=[f"{who} on {kind}" for who, kind in FORBIDDEN])
def test_a_champion_who_does_not_support_the_project_is_refused_every_wellbeing_page(client, auth, world, who, kind):
    ids, people = world
    before = _rows()
    auth.login(people[who])
    let_in = [f"{method} {path}: {status}" for method, path, form in ROUTES
              if (status := _answer(client, method, path, form, ids[kind]).status_code) != 403]
    assert let_in == []
    assert _rows() == before


@pytest.mark.parametrize("who, kind", ALLOWED, ids=[f"{who} on {kind}" for who, kind in ALLOWED])
def test_coordinators_and_the_projects_own_champions_still_get_in(client, auth, world, who, kind):
    ids, people = world
    auth.login(people[who])
    refused = [f"{method} {path}: {status}" for method, path, form in ROUTES
               if (status := _answer(client, method, path, form, ids[kind]).status_code)
               not in ((200,) if method == "GET" else (200, 302))]
    assert refused == []


@pytest.mark.parametrize("who, listed", [("coordinator", {"Walking football", "Riverside walk"}),
                                         ("linked champion", {"Walking football"}),
                                         ("supporting champion", {"Riverside walk"}),
                                         ("unlinked champion", set())])
def test_the_wellbeing_index_lists_only_the_projects_a_champion_supports(outcomes, world, who, listed):
    _, people = world
    assert {row.activity.title for row in services.projects_for(people[who])} == listed


def test_an_unlinked_champion_sees_no_project_on_the_wellbeing_page(client, auth, world):
    _, people = world
    auth.login(people["unlinked champion"])
    text = page_text(client.get("/wellbeing-measures"))
    assert "Walking football" not in text and "Riverside walk" not in text
