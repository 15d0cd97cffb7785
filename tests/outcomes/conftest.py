"""Outcomes fixtures: a demo project (an activity run by a partner) made through the directory
services, and helpers to record measures through the outcomes services."""
from datetime import date

import pytest

from brokerage.directory.locations import load_district_centroids
from brokerage.directory.taxonomy import load_taxonomy
from brokerage.outcomes import services
from tests.directory.conftest import NOW, Directory

GOOD = (3, 3, 3, 3, 3, 3, 3)


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


@pytest.fixture
def outcomes(app, make_user):
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        yield Outcomes(make_user)
