"""Recording measures: anonymous codes, who may record, the rules, atomicity and the audit trail."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.outcomes.measures import services
from brokerage.outcomes.measures.models import WellbeingMeasure
from brokerage.outcomes.measures.services import CODE_ALPHABET, MeasureAnswers

from ..conftest import GOOD, NOW


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_participant_codes_are_six_unambiguous_characters_unique_in_the_project(outcomes):
    codes = [outcomes.participant().code for _ in range(25)]
    assert len(set(codes)) == 25
    assert all(len(code) == 6 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_a_measure_stores_the_item_scores_and_raw_score(outcomes):
    measure = outcomes.measure(outcomes.participant(), items=(1, 2, 3, 4, 5, 4, 3))
    assert measure.items == (1, 2, 3, 4, 5, 4, 3) and measure.raw_score == 22
    assert measure.entered_by == "worker" and measure.recorded_by_id == outcomes.coordinator.id


@pytest.mark.parametrize("who", ["coordinator", "linked champion"])
def test_coordinators_and_the_partners_champions_may_record(outcomes, who):
    participant = outcomes.participant()
    worker = outcomes.coordinator if who == "coordinator" else outcomes.champion_for(outcomes.project.partner)
    answers = MeasureAnswers(timepoint="baseline", measured_on=date(2026, 1, 5), items=GOOD)
    assert services.record_measure(actor=worker, participant=participant, answers=answers, now=NOW).id


def test_the_activitys_own_partner_contact_may_record(outcomes):
    contact = outcomes.contact_for(outcomes.project.partner)
    participant = services.add_participant(actor=contact, activity=outcomes.project, now=NOW)
    assert participant.code


def test_another_partners_contact_may_not_add_participants_or_record(outcomes):
    other = outcomes.contact_for(outcomes.partner(name="Arts Café", locality="kirklees"))
    participant = outcomes.participant()
    with pytest.raises(PermissionDenied):
        services.add_participant(actor=other, activity=outcomes.project, now=NOW)
    answers = MeasureAnswers(timepoint="baseline", measured_on=date(2026, 1, 5), items=GOOD)
    with pytest.raises(PermissionDenied):
        services.record_measure(actor=other, participant=participant, answers=answers, now=NOW)


def test_a_collective_member_may_not_record(outcomes):
    member = outcomes.user(Role.COLLECTIVE_MEMBER)
    with pytest.raises(PermissionDenied):
        services.add_participant(actor=member, activity=outcomes.project, now=NOW)


@pytest.mark.parametrize("items, field, message", [
    ((3, 3, 6, 3, 3, 3, 3), "item_3", "must be from 1 to 5"),
    ((3, 3, 3, 3, None, 3, 3), "item_5", "Choose an answer for statement 5")])
def test_bad_item_scores_are_refused_by_field_and_nothing_is_saved(outcomes, items, field, message):
    participant = outcomes.participant()
    events = _count(AuditEvent)
    with pytest.raises(RuleViolation) as refused:
        outcomes.measure(participant, items=items)
    assert refused.value.field == field and message in refused.value.message
    assert _count(WellbeingMeasure) == 0 and _count(AuditEvent) == events


def test_a_follow_up_dated_before_its_baseline_is_refused(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant, on=date(2026, 3, 1))
    with pytest.raises(RuleViolation) as refused:
        outcomes.measure(participant, timepoint="three_months", on=date(2026, 2, 28))
    assert refused.value.field == "measured_on" and "before the baseline" in refused.value.message
    assert _count(WellbeingMeasure) == 1


def test_a_baseline_dated_after_a_follow_up_is_refused(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant, timepoint="end", on=date(2026, 6, 1))
    with pytest.raises(RuleViolation) as refused:
        outcomes.measure(participant, timepoint="baseline", on=date(2026, 6, 2))
    assert refused.value.field == "measured_on"


def test_a_second_measure_for_the_same_timepoint_is_refused(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant)
    with pytest.raises(RuleViolation) as refused:
        outcomes.measure(participant, on=date(2026, 1, 13))
    assert refused.value.field == "timepoint" and "already has a baseline" in refused.value.message
    assert _count(WellbeingMeasure) == 1


def test_the_database_refuses_a_duplicate_timepoint_for_a_code(outcomes):
    participant = outcomes.participant()
    first = outcomes.measure(participant)
    db.session.add(WellbeingMeasure(participant_id=participant.id, timepoint="baseline", measured_on=first.measured_on,
                                    raw_score=21, entered_by="worker", **{f"item_{n}": 3 for n in range(1, 8)}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_item_scores_outside_1_to_5(outcomes):
    participant = outcomes.participant()
    items = {f"item_{n}": 3 for n in range(1, 8)} | {"item_2": 9}
    db.session.add(WellbeingMeasure(participant_id=participant.id, timepoint="baseline",
                                    measured_on=date(2026, 1, 1), raw_score=27, entered_by="worker", **items))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_participants_and_measures_are_audited(outcomes):
    participant = outcomes.participant()
    outcomes.measure(participant)
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["outcomes.participant_added", "outcomes.measure_recorded"]
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.after["raw_score"] == 21 and event.after["metric_score"] == "19.25"


def test_projects_for_a_partner_contact_are_only_their_partners_activities(outcomes):
    mine = outcomes.project
    other_partner = outcomes.partner(name="Arts Café", locality="kirklees")
    outcomes.activity(partner=other_partner, title="Arts café drop-in")
    contact = outcomes.contact_for(mine.partner)
    assert [row.activity.title for row in services.projects_for(contact)] == [mine.title]
    assert services.projects_for(outcomes.user(Role.CHAMPION)) == []
