"""Bad wellbeing input never saves anything half-way: no measure, no audit event, the link unspent,
and a clear message by the field (scores outside 1-5, missing items, a follow-up before its
baseline, a second measure for the same timepoint, even from a concurrent request)."""
from datetime import date

import pytest
from sqlalchemy import func, select

from brokerage.audit.models import AuditEvent
from brokerage.errors import RuleViolation
from brokerage.extensions import db
from brokerage.outcomes.measures import links, services
from brokerage.outcomes.measures.models import WellbeingMeasure

from ...conftest import page_text
from ..conftest import NOW

ITEMS = {f"item_{number}": "3" for number in range(1, 8)}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def participant(outcomes, fixed_now):
    fixed_now(NOW)
    made = outcomes.participant()
    outcomes.measure(made, on=date(2026, 3, 1))
    values = made.id, made.code
    db.session.commit()  # and nothing after it: SQLite would hold the write lock for the next request
    return values


@pytest.mark.parametrize("form, message", [
    ({"timepoint": "end", "measured_on": "2026-02-01"}, "A follow-up cannot be dated before the baseline"),
    ({"timepoint": "baseline", "measured_on": "2026-03-02"}, "already has a baseline"),
    ({"timepoint": "end", "measured_on": "2026-06-01", "item_3": "0"}, "statement 3 must be from 1 to 5"),
    ({"timepoint": "end", "measured_on": "2026-06-01", "item_7": ""}, "Choose an answer for statement 7."),
    ({"timepoint": "end", "measured_on": "2026-06-01", "item_2": "\u00b9"}, "Choose an answer for statement 2."),
])
def test_a_refused_measure_on_the_form_saves_nothing_and_keeps_the_input(client, coordinator, participant, form,
                                                                         message):
    measures, events = _count(WellbeingMeasure), _count(AuditEvent)
    response = client.post(f"/wellbeing-measures/participants/{participant[0]}/measures/new",
                           data={**ITEMS, **form})
    assert response.status_code == 200 and "There is a problem" in page_text(response)
    assert message in page_text(response)
    assert f'value="{form["measured_on"]}"' in response.get_data(as_text=True)
    assert (_count(WellbeingMeasure), _count(AuditEvent)) == (measures, events)


def test_a_concurrent_duplicate_is_refused_by_the_database_with_the_same_kind_of_message(outcomes, monkeypatch):
    participant = outcomes.participant()
    outcomes.measure(participant)
    events = _count(AuditEvent)
    monkeypatch.setattr(services, "existing_measure", lambda *args: None)  # the other request checked first
    with pytest.raises(RuleViolation) as refused:
        outcomes.measure(participant, on=date(2026, 1, 13))
    assert refused.value.field == "timepoint" and "already has a measure for this timepoint" in refused.value.message
    assert _count(WellbeingMeasure) == 1 and _count(AuditEvent) == events


@pytest.mark.parametrize("items", [(3, 3, 3, 3, 3, 3, 9), (3, 3, 3, 3, 3, 3), (0, 3, 3, 3, 3, 3, 3)])
def test_bad_answers_by_link_save_nothing_and_leave_the_link_usable(outcomes, items):
    created = links.create_link(actor=outcomes.coordinator, participant=outcomes.participant(), timepoint="baseline",
                                now=NOW)
    events = _count(AuditEvent)
    with pytest.raises(RuleViolation):
        links.answer_by_link(token=created.token, items=items, now=NOW)
    assert _count(WellbeingMeasure) == 0 and _count(AuditEvent) == events
    assert links.usable_link(created.token, now=NOW).used_at is None
