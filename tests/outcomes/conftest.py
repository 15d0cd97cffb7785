"""Outcomes fixtures: a demo project (an activity run by a partner) made through the directory
services, and helpers to record measures through the outcomes services."""
from datetime import date

import pytest

from brokerage.directory.geo.locations import load_district_centroids
from brokerage.directory.listings.taxonomy import load_taxonomy
from brokerage.outcomes.measures import services
from brokerage.outcomes.stories import services as stories
from tests.directory.conftest import NOW, Directory

GOOD = (3, 3, 3, 3, 3, 3, 3)
TODAY = date(2026, 6, 15)


def story_details(**changes) -> stories.StoryDetails:
    values = {"title": "Finding my voice", "text": "Singing with others again made my week.", "media_url": "",
              "reporter": "Jo Reporter", "told_on": date(2026, 5, 6), "consent": "public"}
    return stories.StoryDetails(**{**values, **changes})


class Outcomes(Directory):
    @property
    def project(self):
        if not hasattr(self, "_project"):
            self._project = self.activity()
        return self._project

    def participant(self, project=None):
        return services.add_participant(actor=self.coordinator, activity=project or self.project, now=NOW)

    def measure(self, participant, timepoint="baseline", on=date(2026, 1, 12), items=GOOD):
        answers = services.MeasureAnswers(timepoint=timepoint, measured_on=on, items=tuple(items))
        return services.record_measure(actor=self.coordinator, participant=participant, answers=answers, now=NOW)

    def story(self, project=None, actor=None, **changes):
        return stories.add_story(actor=actor or self.coordinator, activity=project or self.project,
                                 details=story_details(**changes), today=TODAY, now=NOW)

    def pairs(self, count, project=None, baseline=GOOD, follow_up=(4, 4, 4, 4, 4, 4, 4), on=date(2026, 6, 1),
              timepoint="end"):
        """`count` participants in the project, each with a baseline in January and a follow-up on `on`."""
        for _ in range(count):
            participant = self.participant(project)
            self.measure(participant, items=baseline)
            self.measure(participant, timepoint=timepoint, on=on, items=follow_up)


@pytest.fixture
def outcomes(app, make_user):
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        yield Outcomes(make_user)
