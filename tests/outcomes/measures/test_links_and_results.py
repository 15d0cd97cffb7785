"""One-time links (hashed, single use, 14 days) and a project's results (paired, suppressed below 5, CSV)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.outcomes.measures import links, results
from brokerage.outcomes.measures.models import WellbeingLink, WellbeingMeasure

from ..conftest import GOOD, NOW


def test_a_link_stores_only_the_hash_of_its_token(outcomes):
    created = links.create_link(actor=outcomes.coordinator, participant=outcomes.participant(),
                                timepoint="baseline", now=NOW)
    stored = db.session.get(WellbeingLink, created.link.id)
    assert created.token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at == NOW + timedelta(days=14)
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "outcomes.link_created"


def test_answering_by_link_saves_the_participants_own_measure_once(outcomes):
    participant = outcomes.participant()
    created = links.create_link(actor=outcomes.coordinator, participant=participant, timepoint="baseline", now=NOW)
    links.answer_by_link(token=created.token, items=(4, 4, 4, 4, 4, 4, 4), now=NOW)
    measure = db.session.scalar(select(WellbeingMeasure))
    assert measure.entered_by == "participant" and measure.recorded_by_id is None
    assert measure.raw_score == 28 and measure.measured_on == date(2026, 6, 15)
    with pytest.raises(links.LinkUnusable) as unusable:
        links.answer_by_link(token=created.token, items=GOOD, now=NOW)
    assert unusable.value.reason == "used"


def test_a_link_expires_after_14_days(outcomes):
    created = links.create_link(actor=outcomes.coordinator, participant=outcomes.participant(),
                                timepoint="baseline", now=NOW)
    assert links.usable_link(created.token, now=NOW + timedelta(days=14, seconds=-1))
    with pytest.raises(links.LinkUnusable) as unusable:
        links.usable_link(created.token, now=NOW + timedelta(days=14))
    assert unusable.value.reason == "expired"


def test_an_unknown_token_is_unusable(outcomes):
    with pytest.raises(links.LinkUnusable) as unusable:
        links.usable_link("not-a-token", now=NOW)
    assert unusable.value.reason == "unknown"


def test_bad_answers_by_link_save_nothing_and_leave_the_link_usable(outcomes):
    created = links.create_link(actor=outcomes.coordinator, participant=outcomes.participant(),
                                timepoint="baseline", now=NOW)
    with pytest.raises(RuleViolation):
        links.answer_by_link(token=created.token, items=(3, 3, 3, None, 3, 3, 3), now=NOW)
    assert db.session.scalar(select(WellbeingMeasure)) is None
    assert links.usable_link(created.token, now=NOW).used_at is None


def test_no_link_for_a_timepoint_already_recorded_or_by_an_outsider(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant)
    with pytest.raises(RuleViolation):
        links.create_link(actor=outcomes.coordinator, participant=participant, timepoint="baseline", now=NOW)
    with pytest.raises(PermissionDenied):
        links.create_link(actor=outcomes.user(Role.COLLECTIVE_MEMBER), participant=participant,
                          timepoint="end", now=NOW)


def _pairs(outcomes, changes):
    for index, change in enumerate(changes):
        participant = outcomes.participant()
        outcomes.measure(participant, on=date(2026, 1, 5))
        follow_up = (3 + change, 3, 3, 3, 3, 3, 3)
        outcomes.measure(participant, timepoint="end", on=date(2026, 6, 1), items=follow_up)


def test_results_from_fewer_than_five_pairs_are_too_few_to_report(outcomes):
    _pairs(outcomes, [1, 2, 0, -1])
    summary, chart = results.project_results(actor=outcomes.coordinator, activity=outcomes.project)
    assert summary.pairs == 4 and not summary.reportable and chart is None


def test_results_from_five_pairs_give_the_mean_change_and_a_chart(outcomes):
    # raw 21 -> 22/23/21/19/23: metric 19.25 -> 19.98/20.73/19.25/17.98/20.73 (+0.73, +1.48, 0, -1.27, +1.48)
    _pairs(outcomes, [1, 2, 0, -2, 2])
    outcomes.participant()  # a participant with no measures counts, but makes no pair
    summary, chart = results.project_results(actor=outcomes.coordinator, activity=outcomes.project)
    assert summary.participants == 6 and summary.pairs == 5
    assert summary.mean_change == Decimal("0.48")
    assert summary.shares == {"improved": 40, "unchanged": 40, "worse": 20}
    assert [bar.label for bar in chart.bars] == ["Baseline", "Follow-up"]
    assert chart.bars[1].width > chart.bars[0].width


def test_the_item_scores_csv_is_anonymous_and_for_coordinators_only(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant, items=(1, 2, 3, 4, 5, 4, 3))
    body = results.item_scores_csv(actor=outcomes.coordinator, activity=outcomes.project)
    lines = body.splitlines()
    assert lines[0].startswith("participant_code,timepoint,measured_on,item_1")
    assert lines[1] == f"{participant.code},baseline,2026-01-12,1,2,3,4,5,4,3,22,19.98"
    with pytest.raises(PermissionDenied):
        results.item_scores_csv(actor=outcomes.user(Role.CHAMPION), activity=outcomes.project)
