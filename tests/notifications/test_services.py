"""Writing to the outbox: once per occasion and person, as each person chose, in the caller's
transaction (so a message exists if and only if its change committed)."""
import pytest
from sqlalchemy import func, select

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.core.values.roles import Role
from brokerage.errors import RuleViolation
from brokerage.extensions import db
from brokerage.notifications.models import NotificationChoice, OutboxMessage
from brokerage.notifications.services import Recipient, notify


def _invite(recipient: Recipient, occasion: str = "user:1:invited") -> bool:
    return notify(kind="invitation", occasion=occasion, recipient=recipient, subject="Your invitation",
                  why="A coordinator invited you.", context=dict(
                      invited_by="Cory", purpose="you will vote on bids", expires="5 Dec 2026, 10:00",
                      link="https://brokerage.example.org/set-password/abc"))


def _messages() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def in_app(app):
    with app.test_request_context():
        yield


def test_a_message_is_rendered_in_plain_text_and_html_for_its_recipient(in_app):
    with unit_of_work():
        assert _invite(Recipient("Ann", "ann@example.org", None)) is True
    [message] = _messages()
    assert (message.kind, message.state, message.recipient_email, message.subject) == (
        "invitation", "pending", "ann@example.org", "Your invitation")
    assert "Hello Ann" in message.text_body and "https://brokerage.example.org/set-password/abc" in message.text_body
    assert '<a href="https://brokerage.example.org/set-password/abc">' in message.html_body
    assert "Why you received this: A coordinator invited you." in message.text_body


def test_the_same_occasion_never_mails_the_same_person_twice(in_app):
    with unit_of_work():
        assert _invite(Recipient("Ann", "ann@example.org")) is True
        assert _invite(Recipient("Ann", "ANN@example.org")) is False
        assert _invite(Recipient("Bo", "bo@example.org")) is True
        assert _invite(Recipient("Ann", "ann@example.org"), occasion="user:1:invited-again") is True
    assert len(_messages()) == 3


def test_a_message_is_written_only_if_the_change_that_causes_it_commits(in_app):
    with pytest.raises(RuleViolation):
        with unit_of_work():
            _invite(Recipient("Ann", "ann@example.org"))
            raise RuleViolation("The change was refused.")
    assert _messages() == []


def test_a_person_without_an_email_address_is_kept_aside_for_coordinators(in_app):
    with unit_of_work():
        _invite(Recipient("Dee", None))
    assert [message.state for message in _messages()] == ["no_address"]


def test_a_choice_of_never_does_not_silence_a_security_message(in_app, make_user):
    user = make_user(Role.COLLECTIVE_MEMBER, email="ann@example.org")
    with unit_of_work():
        db.session.add(NotificationChoice(user_id=user.id, kind="invitation", delivery="never"))
    with unit_of_work():
        assert _invite(Recipient(user.name, user.email, user.id)) is True
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
