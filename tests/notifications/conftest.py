"""A real SMTP server (aiosmtpd) on a free port, and a template for a non-security kind."""
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from jinja2 import ChoiceLoader, DictLoader

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.notifications.services import Recipient, notify

DECISION_TEMPLATES = {
    "email/decision.txt": '{% extends "email/_layout.txt" %}{% block body %}A decision was made on {{ bid }}.{% endblock %}',
    "email/decision.html": '{% extends "email/_layout.html" %}{% block body %}<p>A decision was made on {{ bid }}.</p>{% endblock %}',
}


class Inbox:
    """Counts and keeps what arrives; `refuse` makes it answer `refusal`; `drop` closes the connection."""

    def __init__(self):
        self.received = []
        self.refuse = False
        self.refusal = "550 Mailbox unavailable"
        self.drop = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.drop:
            session.transport.close()
            return "421 closing"
        if self.refuse:
            return self.refusal
        with self.lock:
            self.received.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    """The app pointed at the test SMTP server, with a template for decisions."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                      MAIL_DEFAULT_SENDER="Creative Minds <team@example.org>", MAIL_REPLY_TO="help@example.org")
    app.jinja_env.loader = ChoiceLoader([DictLoader(DECISION_TEMPLATES), app.jinja_env.loader])
    return app


@pytest.fixture
def decision_templates(app):
    app.jinja_env.loader = ChoiceLoader([DictLoader(DECISION_TEMPLATES), app.jinja_env.loader])
    return app


def write_decision(user, occasion: str = "bid:1:decided", email: str | None = None, now=None) -> bool:
    with unit_of_work():
        return notify(kind="decision", occasion=occasion, now=now,
                      recipient=Recipient(user.name, user.email if email is None else (email or None), user.id),
                      subject="A decision on your bid", why="You submitted the bid.", context={"bid": "Paint club"})
