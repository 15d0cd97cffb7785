"""AGM and notice deadlines reach the group's officers who have accounts (not plain members, not
champions, not those who chose never), each deadline once, four weeks ahead."""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.extensions import db
from brokerage.groups.lifecycle import facts_for
from brokerage.groups.models import Group
from brokerage.groups.pages import meeting_deadlines
from brokerage.groups.reminders import send_agm_reminders
from brokerage.notifications.models import NotificationChoice, OutboxMessage
from brokerage.notifications.sweeps import registered_sweeps


def _deadlines(app, group_id):
    with app.app_context():
        return meeting_deadlines(facts_for(db.session.get(Group, group_id)))


def _messages():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "agm_deadline")
                              .order_by(OutboxMessage.id)).all()


def test_officers_with_accounts_hear_of_each_deadline_once(app, hosted_group):
    deadlines = sorted(_deadlines(app, hosted_group.group_id), key=lambda item: item.due_on)
    assert [item.title for item in deadlines][-1] == "Annual general meeting due"
    first = deadlines[0]
    now = datetime.combine(first.due_on - timedelta(days=27), time(12), tzinfo=timezone.utc)
    with app.app_context():
        with unit_of_work():
            db.session.add(NotificationChoice(user_id=hosted_group.users["dev"].id, kind="agm_deadline",
                                              delivery="never"))
        assert registered_sweeps()["groups.agm_deadlines"] is send_agm_reminders
        written = send_agm_reminders(now)
        messages = _messages()
        assert written == len(messages) > 0
        assert {message.recipient_email for message in messages} == {"ann@example.org", "bea@example.org",
                                                                     "cal@example.org"}
        assert all(message.occasion.startswith(f"group:{hosted_group.group_id}:") for message in messages)
        assert f"{first.title} is due by {first.due_on:%-d %B %Y}" in messages[0].text_body
        assert f"/groups/{hosted_group.group_id}" in messages[0].text_body
        assert send_agm_reminders(now) == 0
        late = datetime.combine(deadlines[-1].due_on, time(12), tzinfo=timezone.utc)
        send_agm_reminders(late)
        assert len(_messages()) == 3 * len(deadlines)
        assert send_agm_reminders(late) == 0


def test_nothing_is_sent_while_every_deadline_is_more_than_four_weeks_away(app, hosted_group):
    first = min(item.due_on for item in _deadlines(app, hosted_group.group_id))
    with app.app_context():
        assert send_agm_reminders(datetime.combine(first - timedelta(days=40), time(12), tzinfo=timezone.utc)) == 0
        assert _messages() == []
