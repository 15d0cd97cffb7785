"""Delivery against a real SMTP server (aiosmtpd): what arrives, with which headers; refusals and
dropped connections are tried again and finally marked failed, never lost and never sent twice."""
import threading
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from brokerage import create_app
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.notifications import rules
from brokerage.notifications.delivery import claim, cycle_context, deliver_due, run_cycle
from brokerage.notifications.models import OutboxMessage
from brokerage.notifications.sweeps import SWEEPS, register_sweep
from brokerage.notifications.transport import ConsoleTransport
from config import TestingConfig

from ..conftest import POSTGRES_URL, test_overrides as overrides_for
from .conftest import write_decision

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)


def _messages() -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


@pytest.fixture
def ann(make_user):
    return make_user(Role.CHAMPION, name="Ann Smith", email="ann@example.org")


def test_a_due_message_arrives_once_with_both_parts_and_the_unsubscribe_headers(mail_app, smtp_server, ann):
    with mail_app.test_request_context():
        write_decision(ann, now=NOW)
        assert deliver_due(NOW) == (1, 0)
        assert deliver_due(NOW + timedelta(hours=1)) == (0, 0)
        [message] = _messages()
        assert (message.state, message.sent_at, message.tries) == ("sent", NOW, 1)
    [envelope] = smtp_server.received
    assert envelope.rcpt_tos == ["ann@example.org"]
    email = message_from_bytes(envelope.content, policy=policy.default)
    assert email["Subject"] == "A decision on your bid"
    assert email["From"] == "Creative Minds <team@example.org>" and email["Reply-To"] == "help@example.org"
    assert email["To"] == "Ann Smith <ann@example.org>"
    assert email["List-Unsubscribe"].startswith("<http://localhost/notifications/unsubscribe/")
    assert b"\r\nList-Unsubscribe: <http://localhost/notifications/unsubscribe/" in envelope.content  # as sent, not encoded
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.get_content_type() == "multipart/alternative"
    plain, html = email.get_body(("plain",)), email.get_body(("html",))
    assert "A decision was made on Paint club." in plain.get_content()
    assert "To stop getting these emails, open this link: http://localhost/notifications/unsubscribe/" in plain.get_content()
    assert "<p>A decision was made on Paint club.</p>" in html.get_content()


def test_a_security_message_carries_no_unsubscribe_link(mail_app, smtp_server):
    from brokerage.core.data.unit_of_work import unit_of_work
    from brokerage.notifications.services import Recipient, notify

    with mail_app.test_request_context():
        with unit_of_work():
            notify(kind="invitation", occasion="user:9:invited", recipient=Recipient("Bo", "bo@example.org", None),
                   subject="Your invitation", why="A coordinator invited you.", now=NOW,
                   context=dict(invited_by="Cory", purpose="you vote", expires="soon", link="https://x.example/a"))
        assert deliver_due(NOW) == (1, 0)
    email = message_from_bytes(smtp_server.received[0].content, policy=policy.default)
    assert email["List-Unsubscribe"] is None and "unsubscribe" not in email.get_body(("plain",)).get_content()


def test_a_refusing_server_means_retries_with_backoff_and_finally_failed(mail_app, smtp_server, ann):
    smtp_server.refuse = True
    with mail_app.test_request_context():
        write_decision(ann, now=NOW)
        moment = NOW
        for attempt in range(1, rules.MAX_TRIES + 1):
            assert deliver_due(moment) == (0, 1)
            [message] = _messages()
            assert message.tries == attempt and "550 Mailbox unavailable" in message.last_error
            assert deliver_due(moment) == (0, 0)  # not again before its backoff
            moment = message.due_at
        assert message.state == "failed"
        assert deliver_due(moment + timedelta(days=1)) == (0, 0)
    assert smtp_server.received == []


def test_a_refusal_quoting_the_address_keeps_it_on_the_outbox_page_and_out_of_the_log(mail_app, smtp_server, ann,
                                                                                      caplog):
    smtp_server.refuse, smtp_server.refusal = True, "550 5.1.1 <ann@example.org>: Recipient address rejected"
    with mail_app.test_request_context():
        write_decision(ann, now=NOW)
        with caplog.at_level("WARNING", logger="brokerage.notifications"):
            assert deliver_due(NOW) == (0, 1)
        assert "<ann@example.org>: Recipient address rejected" in _messages()[0].last_error
    assert "550 5.1.1 <[address]>: Recipient address rejected" in caplog.text and "ann@" not in caplog.text


def test_a_dropped_connection_is_tried_again_and_then_delivered_once(mail_app, smtp_server, ann):
    smtp_server.drop = True
    with mail_app.test_request_context():
        write_decision(ann, now=NOW)
        assert deliver_due(NOW) == (0, 1)
        [message] = _messages()
        assert message.state == "pending" and message.due_at == NOW + timedelta(minutes=1)
        assert "password" not in (message.last_error or "").lower()
        smtp_server.drop = False
        assert deliver_due(NOW + timedelta(minutes=1)) == (1, 0)
    assert len(smtp_server.received) == 1


def test_no_mail_server_writes_the_message_to_the_log_and_marks_it_sent(app, ann, caplog, decision_templates):
    with app.test_request_context():
        write_decision(ann, now=NOW)
        with caplog.at_level("INFO", logger="brokerage.notifications"):
            assert deliver_due(NOW, ConsoleTransport(app.config)) == (1, 0)
        assert _messages()[0].state == "sent"
    assert "A decision on your bid" in caplog.text and "A decision was made on Paint club." in caplog.text


def test_a_claimed_message_is_never_claimed_again_even_if_its_sender_died(mail_app, smtp_server, ann):
    with mail_app.test_request_context():
        write_decision(ann, now=NOW)
        assert len(claim(NOW)) == 1  # the worker dies here, before sending
        assert claim(NOW + timedelta(days=1)) == []
        assert deliver_due(NOW + timedelta(days=1)) == (0, 0)
        assert _messages()[0].state == "sending"
    assert smtp_server.received == []


def test_a_cycle_runs_the_registered_sweeps_then_delivers_what_they_wrote(mail_app, smtp_server, ann, monkeypatch):
    monkeypatch.setattr("brokerage.notifications.sweeps.SWEEPS", dict(SWEEPS))
    register_sweep("test", lambda now: int(write_decision(ann, occasion=f"swept:{now:%Y%m%d}", now=now)))
    with cycle_context(mail_app):
        assert run_cycle(NOW) == {"swept": 1, "digests": 0, "sent": 1, "not_sent": 0}
        assert run_cycle(NOW)["sent"] == 0
    assert len(smtp_server.received) == 1


def test_deliver_once_from_the_command_line(mail_app, smtp_server, ann):
    with mail_app.test_request_context():
        write_decision(ann)
    result = mail_app.test_cli_runner().invoke(args=["notifications", "deliver", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output and len(smtp_server.received) == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="the race needs PostgreSQL (SQLite's writer lock allows one worker)")
def test_two_workers_racing_on_postgresql_send_each_message_once(mail_app, smtp_server, make_user, database_url):
    people = [make_user(Role.CHAMPION) for _ in range(4)]
    with mail_app.test_request_context():
        for person in people:
            for number in range(6):
                write_decision(person, occasion=f"bid:{number}:decided", now=NOW)
    apps = [create_app(TestingConfig, {**overrides_for(database_url), **{
        key: mail_app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_DEFAULT_SENDER")}}) for _ in range(2)]
    barrier, results = threading.Barrier(2), []

    def worker(worker_app):
        worker_app.jinja_env.loader = mail_app.jinja_env.loader
        with worker_app.app_context():
            barrier.wait()
            results.append(deliver_due(NOW))
            db.session.remove()
            db.engine.dispose()

    threads = [threading.Thread(target=worker, args=(each,)) for each in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(sent for sent, _ in results) == 24
    assert len(smtp_server.received) == 24
    keys = sorted(message_from_bytes(e.content, policy=policy.default)["Message-ID"] for e in smtp_server.received)
    assert len(set(keys)) == 24
    with mail_app.app_context():
        assert {m.state for m in _messages()} == {"sent"} and {m.tries for m in _messages()} == {1}


def test_a_broken_sweep_is_logged_and_the_others_still_run(mail_app, smtp_server, ann, monkeypatch, caplog):
    monkeypatch.setattr("brokerage.notifications.sweeps.SWEEPS", {})

    def broken(now):
        raise ValueError("a bug in one feature's check")

    register_sweep("broken", broken)
    register_sweep("fine", lambda now: int(write_decision(ann, occasion="fine", now=now)))
    with cycle_context(mail_app):
        assert run_cycle(NOW)["swept"] == 1
    assert "notification sweep broken failed" in caplog.text and len(smtp_server.received) == 1


def test_outside_development_the_console_transport_logs_no_address_and_no_link(app, ann, caplog, decision_templates):
    """A production log collector must not keep people's addresses or the tokens in their links."""
    config = dict(app.config, MAIL_CONSOLE_SHOWS_MESSAGES=False)
    with app.test_request_context():
        write_decision(ann, now=NOW)
        with caplog.at_level("INFO", logger="brokerage.notifications"):
            assert deliver_due(NOW, ConsoleTransport(config)) == (1, 0)
    assert "no MAIL_SERVER" in caplog.text
    assert "@" not in caplog.text and "http" not in caplog.text and "Paint club" not in caplog.text
