"""The audit trail is append-only in the ORM and in the database itself (security.md row 16)."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from brokerage.audit.models import AuditEvent, AuditTrailIsAppendOnly
from brokerage.audit.services import AuditFilter, list_events, record_event
from brokerage.extensions import db


@pytest.fixture
def event_id(app):
    with app.app_context():
        event_id = record_event(actor=None, action="test.created", object_type="test", object_id=7,
                                summary="A test event", after={"name": "before"})
        db.session.commit()
        return event_id


def test_changing_an_audit_event_through_the_orm_is_refused(app, event_id):
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        event.summary = "Rewritten history"
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(AuditEvent, event_id).summary == "A test event"


def test_deleting_an_audit_event_through_the_orm_is_refused(app, event_id):
    with app.app_context():
        db.session.delete(db.session.get(AuditEvent, event_id))
        with pytest.raises(AuditTrailIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(AuditEvent, event_id) is not None


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET summary = 'Rewritten history'",
    "UPDATE audit_event SET actor_id = NULL, at = CURRENT_TIMESTAMP",
    "DELETE FROM audit_event",
], ids=["update summary", "update who and when", "delete"])
def test_the_database_refuses_raw_sql_changes_to_audit_events(app, event_id, statement):
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert db.session.get(AuditEvent, event_id).summary == "A test event"


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(summary="Rewritten history"),
    delete(AuditEvent),
], ids=["bulk update", "bulk delete"])
def test_the_database_refuses_bulk_orm_statements_on_audit_events(app, event_id, statement):
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
        assert db.session.scalar(select(AuditEvent.summary).where(AuditEvent.id == event_id)) == "A test event"


def test_an_event_is_committed_with_the_change_it_records_or_not_at_all(app):
    with app.app_context():
        record_event(actor=None, action="test.created", object_type="test", object_id=1, summary="Abandoned")
        db.session.rollback()
        assert list_events(filters=AuditFilter()).total == 0


def test_events_are_stamped_by_the_application_clock(app, fixed_now):
    fixed_now(datetime(2026, 4, 1, 9, 30, tzinfo=timezone.utc))
    with app.app_context():
        event_id = record_event(actor=None, action="test.created", object_type="test", object_id=1, summary="Stamped")
        db.session.commit()
        assert db.session.get(AuditEvent, event_id).at == datetime(2026, 4, 1, 9, 30, tzinfo=timezone.utc)


def test_date_filters_are_london_calendar_days(app, fixed_now):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    fixed_now(datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc))
    with app.app_context():
        record_event(actor=None, action="test.created", object_type="test", object_id=1, summary="Late")
        db.session.commit()
        assert list_events(filters=AuditFilter(since=date(2026, 7, 1), until=date(2026, 7, 1))).total == 1
        assert list_events(filters=AuditFilter(until=date(2026, 6, 30))).total == 0
