"""The outbox page (coordinators only, never a body), choices on the account page, the daily digest
and the unsubscribe link that works without signing in."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from brokerage.audit.models import AuditEvent
from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.notifications.delivery import deliver_due
from brokerage.notifications.kinds import KINDS
from brokerage.notifications.models import NotificationChoice, OutboxMessage
from brokerage.notifications.services import Recipient, gather_due_digests, notify, unsubscribe_link

from ..conftest import page_text
from .conftest import write_decision

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)


def _messages() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _choices(user_id: int) -> dict[str, str]:
    return dict(db.session.execute(select(NotificationChoice.kind, NotificationChoice.delivery)
                                   .where(NotificationChoice.user_id == user_id)).all())


def _actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


@pytest.fixture
def ann(make_user, decision_templates):
    return make_user(Role.CHAMPION, name="Ann Smith", email="ann@example.org")


@pytest.mark.parametrize("role", [Role.CHAMPION, Role.COLLECTIVE_MEMBER])
def test_only_coordinators_see_the_outbox(client, auth, role):
    assert client.get("/notifications").status_code in (302, 401)
    auth.login_as(role)
    assert client.get("/notifications").status_code == 403
    assert client.post("/notifications/1/send-again").status_code == 403
    assert client.post("/notifications/digest-time", data={"digest_time": "09:00"}).status_code == 403


def test_the_outbox_lists_messages_by_state_without_their_bodies(app, client, coordinator, ann):
    with app.test_request_context():
        write_decision(ann)
        write_decision(ann, occasion="bid:2:decided", email="")
    text = page_text(client.get("/notifications"))
    assert "Decisions on bids" in text and "Ann Smith" in text and "bid:1:decided" in text
    assert "No email address" in text and "reach them another way" in text
    assert "A decision was made" not in text
    filtered = page_text(client.get("/notifications?state=no_address"))
    assert "bid:2:decided" in filtered and "bid:1:decided" not in filtered


def test_a_failed_message_can_be_sent_again_and_that_is_audited(app, client, coordinator, ann):
    with app.test_request_context():
        write_decision(ann)
        with unit_of_work():
            message = _messages()[0]
            message.state, message.tries, message.last_error = "failed", 6, "The mail server refused: 550"
    assert "Send again" in page_text(client.get("/notifications"))
    assert client.post("/notifications/1/send-again", csrf=False).status_code == 400
    assert client.post("/notifications/1/send-again").status_code == 302
    with app.app_context():
        assert (_messages()[0].state, _messages()[0].tries) == ("pending", 0)
        assert "notifications.sent_again" in _actions()
    client.post("/notifications/1/send-again")
    assert "Only a message that failed" in page_text(client.get("/notifications"))


def test_coordinators_set_the_digest_time_and_a_wrong_one_is_kept_with_its_message(app, client, coordinator):
    response = client.post("/notifications/digest-time", data={"digest_time": "25:00"})
    assert response.status_code == 400 and "24-hour clock" in page_text(response) and 'value="25:00"' in response.text
    assert client.post("/notifications/digest-time", data={"digest_time": "07:30"}).status_code == 302
    assert 'value="07:30"' in client.get("/notifications").text
    with app.app_context():
        assert "notifications.digest_time_changed" in _actions()


def test_people_choose_per_kind_and_security_kinds_are_not_offered(app, client, auth, decision_templates):
    user = auth.login_as(Role.CHAMPION)
    assert "Choose your emails" in page_text(client.get("/account"))
    page = page_text(client.get("/account/notifications"))
    assert "Decisions on bids" in page and "Once a day, in a daily summary" in page
    assert "Links to reset your password" not in page
    every = {name: "immediately" for name, kind in KINDS.items() if not kind.security}
    response = client.post("/account/notifications", data={**every, "decision": "never", "vote_opened": "daily"})
    assert response.status_code == 302
    with app.app_context():
        assert _choices(user.id) == {"decision": "never", "vote_opened": "daily"}
        assert "notifications.choices_changed" in _actions()
    with app.test_request_context():
        assert write_decision(user) is False
    refused = client.post("/account/notifications", data={**every, "decision": "sometimes", "vote_opened": "daily"})
    assert refused.status_code == 200 and "Not a valid choice" in page_text(refused)


def test_daily_choices_wait_for_the_digest_which_sends_them_together_once(app, ann):
    with app.app_context(), unit_of_work():
        db.session.add(NotificationChoice(user_id=ann.id, kind="decision", delivery="daily"))
    with app.test_request_context():
        write_decision(ann, now=NOW)
        write_decision(ann, occasion="bid:2:decided", now=NOW)
        assert {m.state for m in _messages()} == {"digest"}
        assert gather_due_digests(NOW) == 1
        assert gather_due_digests(NOW + timedelta(hours=1)) == 0  # once a day
        digest = _messages()[-1]
        assert digest.kind == "digest" and digest.subject == "Your daily summary: 2 messages"
        assert digest.text_body.count("A decision was made on Paint club.") == 2
        assert digest.text_body.count("Hello ") == 1 and digest.text_body.count("/notifications/unsubscribe/") == 1
        assert "/notifications/unsubscribe/" in digest.unsubscribe_url
        assert [m.state for m in _messages()] == ["sent", "sent", "pending"]
        write_decision(ann, occasion="bid:3:decided", now=NOW)
        assert gather_due_digests(datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)) == 1


def test_the_unsubscribe_link_asks_then_stops_that_kind_without_signing_in(app, client, ann):
    with app.test_request_context():
        link = unsubscribe_link(ann.id, "decision").replace("http://localhost", "")
    assert "Stop these emails" in page_text(client.get(link))
    with app.app_context():
        assert _choices(ann.id) == {}
    response = client.post(link)
    assert response.status_code == 200 and "decisions on bids" in page_text(response)
    with app.app_context():
        assert _choices(ann.id) == {"decision": "never"}
        assert "notifications.unsubscribed" in _actions()


def test_a_mail_program_unsubscribes_with_one_click_and_no_csrf_token(app, client, ann):
    with app.test_request_context():
        link = unsubscribe_link(ann.id, "decision").replace("http://localhost", "")
    response = client.post(link, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    with app.app_context():
        assert _choices(ann.id) == {"decision": "never"}


def test_other_forms_still_refuse_a_missing_csrf_token(client, auth):
    auth.login_as(Role.CHAMPION)
    assert client.post("/account/notifications", data={"decision": "never"}, csrf=False).status_code == 400


def test_a_tampered_or_expired_link_says_so_plainly(app, client, ann, monkeypatch):
    with app.test_request_context():
        link = unsubscribe_link(ann.id, "decision").replace("http://localhost", "")
    tampered = client.post(link[:-3] + "abc")
    assert tampered.status_code == 400 and "has been changed" in page_text(tampered)
    monkeypatch.setattr("brokerage.notifications.services.UNSUBSCRIBE_LIFETIME", -1)
    expired = client.get(link)
    assert expired.status_code == 400 and "too old" in page_text(expired)
    with app.app_context():
        assert _choices(ann.id) == {}


def test_a_security_message_has_no_unsubscribe_link(app):
    with app.test_request_context(), unit_of_work():
        notify(kind="invitation", occasion="u:1", recipient=Recipient("Bo", "bo@example.org", None), subject="Invite",
               why="Invited.", context=dict(invited_by="C", purpose="p", expires="e", link="https://x.example/a"))
    with app.app_context():
        assert _messages()[0].unsubscribe_url is None and "unsubscribe" not in _messages()[0].text_body


def test_the_console_transport_leaves_messages_on_the_outbox_page(app, client, coordinator, ann):
    with app.test_request_context():
        write_decision(ann, now=NOW)
        assert deliver_due(NOW) == (1, 0)
    assert "Sent" in page_text(client.get("/notifications?state=sent"))


def test_the_outbox_is_paged_newest_first(app, ann):
    from brokerage.notifications.pages import outbox

    with app.test_request_context():
        for number in range(5):
            write_decision(ann, occasion=f"bid:{number}:decided", now=NOW + timedelta(minutes=number))
        first, last = outbox(state=None, page=1, page_size=2), outbox(state=None, page=3, page_size=2)
    assert [row.occasion for row in first.rows] == ["bid:4:decided", "bid:3:decided"] and first.pages == 3
    assert [row.occasion for row in last.rows] == ["bid:0:decided"]
    assert first.counts["pending"] == 5


def test_a_link_for_an_account_that_no_longer_exists_says_so(app, client, decision_templates):
    with app.test_request_context():
        link = unsubscribe_link(999, "decision").replace("http://localhost", "")
    response = client.post(link)
    assert response.status_code == 400 and "no longer exists" in page_text(response)


def test_a_contact_without_an_account_stops_a_kind_for_their_address_by_its_link(app, client, ann,
                                                                                  decision_templates):
    """A partner's named contact has no account page: the link in their email is their only way to
    stop a kind, for their address, whatever its case; it silences no account and no other kind."""
    def decide(person: Recipient, occasion: str) -> bool:
        with unit_of_work():
            return notify(kind="decision", occasion=occasion, recipient=person, subject="A decision on your bid",
                          why="You are a contact for the partner.", context={"bid": "Paint club"})

    with app.test_request_context():
        decide(Recipient("Lee Contact", "Lee@Example.org", None), "bid:1:decided")
        [message] = _messages()
        assert message.unsubscribe_url and message.unsubscribe_url in message.text_body
        assert "account page" not in message.text_body and "account page" not in message.html_body
        link = message.unsubscribe_url.replace("http://localhost", "")
    asked = client.get(link)
    assert "Stop these emails" in page_text(asked) and "account page" not in page_text(asked)
    response = client.post(link, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200 and "decisions on bids" in page_text(response)
    assert "account page" not in page_text(response)
    assert client.post(link, csrf=False).status_code == 200  # a second click changes nothing
    with app.test_request_context():
        assert not decide(Recipient("Lee Contact", "lee@example.org", None), "bid:2:decided")
        assert write_decision(ann, occasion="bid:2:decided")  # an account keeps its own choices
        assert decide(Recipient("Sam Contact", "sam@example.org", None), "bid:2:decided")
        with unit_of_work():
            assert notify(kind="bid_returned", occasion="bid:2:returned", subject="Your bid was returned",
                          recipient=Recipient("Lee Contact", "lee@example.org", None), why="A contact.",
                          context=dict(title="Paint club", partner="Arts", collective="Barnsley", message="More",
                                       link="https://x.example/b"))
        assert [m.recipient_email for m in _messages()] == ["Lee@Example.org", "ann@example.org", "sam@example.org",
                                                               "lee@example.org"]
        assert _actions().count("notifications.unsubscribed") == 1
        with unit_of_work():
            assert notify(kind="invitation", occasion="u:1", recipient=Recipient("Lee", "lee@example.org", None),
                          subject="Invite", why="Invited.",  # security messages always go
                          context=dict(invited_by="C", purpose="p", expires="e", link="https://x.example/a"))

