"""The delivery worker's cycle: run the registered sweeps, gather the daily digests that are due,
then claim the due messages in small batches and hand each to the transport.

At most once, never twice: a message is claimed (state "sending", tries + 1) and that claim
COMMITTED before the mail server is spoken to; only then is it sent, and marked "sent" or put back
for a later try. A worker that dies between the two leaves the message "sending": it may have
gone once, and it is never sent again on its own (the outbox page shows it, and a coordinator
may send it again). On PostgreSQL, claiming takes `FOR UPDATE SKIP LOCKED`, so workers racing
each take different messages; each claim is also a conditional UPDATE (`WHERE state = 'pending'`)
so a row can be claimed once whatever the database. On SQLite the writer lock serialises workers.
"""

import logging
import re
import threading
from contextlib import contextmanager
from datetime import datetime

from flask import Flask, g
from sqlalchemy import select, update

from ..core.data.results import rows_changed
from ..core.data.unit_of_work import unit_of_work
from ..core.values.timeutils import utcnow
from ..extensions import db
from . import rules
from .models import OutboxMessage
from .services import gather_due_digests
from .sweeps import registered_sweeps
from .transport import Outgoing, TransportError, transport_for

log = logging.getLogger("brokerage.notifications")
BATCH = 10
# A mail server's refusal often quotes the recipient ("550 <ann@example.org>: no such user"): the
# outbox page, beside the recipient, may show it; the log, which keeps no address, may not.
_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")


def without_addresses(text: str) -> str:
    return _ADDRESS.sub("[address]", text)


def run_sweeps(now: datetime) -> int:
    """Each registered sweep in turn; one that breaks is logged and the others still run."""
    written = 0
    for name, sweep in registered_sweeps().items():
        try:
            with unit_of_work():
                written += sweep(now) or 0
        except Exception:
            log.exception("notification sweep %s failed", name)
    return written


def claim(now: datetime, limit: int = BATCH) -> list[tuple[int, Outgoing]]:
    """Mark up to `limit` due pending messages "sending" (tries + 1) and commit: theirs to send.
    What to send is read in the same transaction, so no transaction stays open while sending."""
    with unit_of_work():
        candidates = db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.state == "pending", OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for message_id in candidates:
            result = db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.state == "pending")
                .values(state="sending", tries=OutboxMessage.tries + 1, due_at=now)
            )
            if rows_changed(result) == 1:
                claimed.append(message_id)
        messages = (
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
            ).all()
            if claimed
            else []
        )
        return [(message.id, _outgoing(message)) for message in messages]


def _outgoing(message: OutboxMessage) -> Outgoing:
    return Outgoing(
        to_name=message.recipient_name,
        to_email=message.recipient_email or "",
        subject=message.subject,
        text=message.text_body,
        html=message.html_body,
        unsubscribe_url=message.unsubscribe_url,
    )


def send_claimed(message_id: int, outgoing: Outgoing, transport, now: datetime) -> bool:
    """Send one claimed message; mark it sent, or back to pending after its backoff, or failed."""
    try:
        transport.send(outgoing)
    except TransportError as error:
        reason = str(error)
    except Exception as error:  # an unexpected fault must not leave the message "sending" for ever
        log.exception("sending outbox message %s failed unexpectedly", message_id)
        reason = f"Unexpected error: {type(error).__name__}"
    else:
        with unit_of_work():
            message = db.session.get_one(OutboxMessage, message_id)
            message.state, message.sent_at, message.last_error = "sent", now, None
        return True
    with unit_of_work():
        message = db.session.get_one(OutboxMessage, message_id)
        message.state, message.due_at = rules.after_failure(tries=message.tries, now=now)
        message.last_error = reason[:500]
    log.warning("outbox message %s not sent (try %s): %s", message_id, message.tries, without_addresses(reason))
    return False


def deliver_due(now: datetime, transport=None) -> tuple[int, int]:
    """Send every message due at `now`, a batch at a time: (sent, not sent)."""
    transport = transport or transport_for()
    sent = unsent = 0
    while claimed := claim(now):
        for message_id, outgoing in claimed:
            if send_claimed(message_id, outgoing, transport, now):
                sent += 1
            else:
                unsent += 1
    return sent, unsent


def run_cycle(now: datetime | None = None, transport=None) -> dict:
    """One cycle of the worker: sweeps, digests, then delivery."""
    now = now or utcnow()
    swept = run_sweeps(now)
    digests = gather_due_digests(now)
    sent, unsent = deliver_due(now, transport)
    return {"swept": swept, "digests": digests, "sent": sent, "not_sent": unsent}


@contextmanager
def cycle_context(app: Flask):
    """A request context whose absolute URLs point at PUBLIC_URL (or the development server), so
    sweeps can build links in messages outside any request. No transaction is open while a message
    is handed to the mail server, so a slow relay never holds SQLite's write lock."""
    base_url = app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"
    with app.test_request_context("/", base_url=base_url):
        g.writing_first = True  # on SQLite, take the write lock up front as any command does
        yield


def start_background_delivery(app: Flask, interval: float = 5.0) -> threading.Thread | None:
    """Development only (`python run.py`): deliver from a thread in the server process."""
    if not app.config.get("NOTIFICATIONS_DELIVER_IN_PROCESS") or app.config.get("TESTING"):
        return None

    def loop() -> None:
        while True:
            try:
                with cycle_context(app):
                    run_cycle()
            except Exception:
                log.exception("notification delivery cycle failed")
            threading.Event().wait(interval)

    thread = threading.Thread(target=loop, name="notification-delivery", daemon=True)
    thread.start()
    log.info(
        "delivering notifications every %ss to %s",
        interval,
        app.config.get("MAIL_SERVER") or "the log (no MAIL_SERVER set)",
    )
    return thread
