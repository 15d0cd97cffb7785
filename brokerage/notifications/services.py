"""Writing messages to the outbox. Features call `notify` inside their own unit of work, so the
message is committed with the change that causes it, or not at all."""
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..core.values.timeutils import utcnow
from ..extensions import db
from .kinds import Delivery, kind_named
from .models import NotificationChoice, OutboxMessage

SIGNED_BY = "Creative Minds"


@dataclass(frozen=True)
class Recipient:
    """Who a message is for: a person with an account (`user_id`), or a contact without one."""
    name: str
    email: str | None
    user_id: int | None = None


def choice_for(user_id: int | None, kind: str) -> Delivery:
    """How this person wants this kind: security messages always go at once; no choice: at once."""
    if kind_named(kind).security or user_id is None:
        return Delivery.IMMEDIATELY
    chosen = db.session.scalar(select(NotificationChoice.delivery).where(
        NotificationChoice.user_id == user_id, NotificationChoice.kind == kind))
    return Delivery(chosen) if chosen else Delivery.IMMEDIATELY


def message_key(kind: str, occasion: str, recipient: Recipient) -> str:
    """The same kind, occasion and person make the same key: the outbox holds it once."""
    who = f"user:{recipient.user_id}" if recipient.user_id else f"email:{(recipient.email or recipient.name).lower()}"
    return f"{kind}|{occasion}|{who}"[:255]


def _state(delivery: Delivery, recipient: Recipient) -> str:
    if not recipient.email:
        return "no_address"
    return "digest" if delivery is Delivery.DAILY else "pending"


def notify(*, kind: str, occasion: str, recipient: Recipient, subject: str, why: str, context: dict,
           signed_by: str = SIGNED_BY, now: datetime | None = None) -> bool:
    """Write one message for `recipient` to the outbox in the caller's transaction, rendered from
    `templates/email/<kind>.txt` and `.html` with `context`. `occasion` names what happened
    ("poll:12:opened"); `why` says why this person received it. The subject must hold nothing
    private (no tallies, health or constituency). True when a message was written; False when
    this occasion already has one for this person, or the person chose never to get this kind."""
    delivery = choice_for(recipient.user_id, kind)
    if delivery is Delivery.NEVER:
        return False
    page = dict(context, recipient=recipient, why=why, signed_by=signed_by, subject=subject)
    values = dict(
        key=message_key(kind, occasion, recipient), kind=kind, occasion=occasion[:120],
        recipient_user_id=recipient.user_id, recipient_email=recipient.email, recipient_name=recipient.name[:120],
        subject=subject[:200], text_body=render_template(f"email/{kind}.txt", **page),
        html_body=render_template(f"email/{kind}.html", **page), state=_state(delivery, recipient),
        tries=0, created_at=now or utcnow(), due_at=now or utcnow())
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (dialect.insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
                 .returning(OutboxMessage.id))  # rowcount is -1 here with psycopg: a returned id says it was written
    return db.session.execute(statement).scalar() is not None
