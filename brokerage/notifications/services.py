"""Writing messages to the outbox. Features call `notify` inside their own unit of work, so the
message is committed with the change that causes it, or not at all."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from ..core.data.auditing import record_event
from ..core.data.unit_of_work import Conflict, unit_of_work
from ..core.values.timeutils import utcnow
from ..core.web.links import absolute_url
from ..errors import NotFound, RuleViolation
from ..extensions import db
from . import rules
from .kinds import KINDS, Delivery, kind_named
from .models import NotificationChoice, NotificationOptOut, NotificationSetting, OutboxMessage

SIGNED_BY = "Creative Minds"
DIGEST = "digest"  # the daily digest: not a kind anyone chooses, the envelope of those chosen daily
UNSUBSCRIBE_SALT = "notifications-unsubscribe"
UNSUBSCRIBE_LIFETIME = 366 * 24 * 3600  # a link in an old email still works for a year


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
    chosen = db.session.scalar(_choice_statement(), {"user_id": user_id, "kind": kind})
    return Delivery(chosen) if chosen else Delivery.IMMEDIATELY


@cache
def _choice_statement():
    """Built once: every message asks it."""
    return select(NotificationChoice.delivery).where(
        NotificationChoice.user_id == bindparam("user_id"), NotificationChoice.kind == bindparam("kind")
    )


def _opted_out(email: str | None, kind: str) -> bool:
    """Whether a contact without an account stopped this kind for their address."""
    return (
        bool(email)
        and db.session.scalar(
            select(NotificationOptOut.id).where(
                NotificationOptOut.email == (email or "").lower(), NotificationOptOut.kind == kind
            )
        )
        is not None
    )


def message_key(kind: str, occasion: str, recipient: Recipient) -> str:
    """The same kind, occasion and person make the same key: the outbox holds it once."""
    who = f"user:{recipient.user_id}" if recipient.user_id else f"email:{(recipient.email or recipient.name).lower()}"
    return f"{kind}|{occasion}|{who}"[:255]


def _state(delivery: Delivery, recipient: Recipient) -> str:
    if not recipient.email:
        return "no_address"
    return "digest" if delivery is Delivery.DAILY else "pending"


def notify(
    *,
    kind: str,
    occasion: str,
    recipient: Recipient,
    subject: str,
    why: str,
    context: dict,
    signed_by: str = SIGNED_BY,
    now: datetime | None = None,
) -> bool:
    """Write one message for `recipient` to the outbox in the caller's transaction, rendered from
    `templates/email/<kind>.txt` and `.html` with `context`. `occasion` names what happened
    ("poll:12:opened"); `why` says why this person received it. The subject must hold nothing
    private (no tallies, health or constituency). True when a message was written; False when
    this occasion already has one for this person, or the person chose never to get this kind (a
    contact without an account: stopped it for their address by the link in an earlier email)."""
    delivery = choice_for(recipient.user_id, kind)
    if delivery is Delivery.NEVER or (recipient.user_id is None and _opted_out(recipient.email, kind)):
        return False
    unsubscribe_url = (
        None if kind_named(kind).security else unsubscribe_link(recipient.user_id, kind, email=recipient.email)
    )
    page = dict(
        context, recipient=recipient, why=why, signed_by=signed_by, subject=subject, unsubscribe_url=unsubscribe_url
    )
    values = dict(
        unsubscribe_url=unsubscribe_url,
        key=message_key(kind, occasion, recipient),
        kind=kind,
        occasion=occasion[:120],
        recipient_user_id=recipient.user_id,
        recipient_email=recipient.email,
        recipient_name=recipient.name[:120],
        subject=subject[:200],
        text_body=render_template(f"email/{kind}.txt", **page),
        html_body=render_template(f"email/{kind}.html", **page),
        state=_state(delivery, recipient),
        tries=0,
        created_at=now or utcnow(),
        due_at=now or utcnow(),
    )
    connection = db.session.connection()
    return connection.execute(_outbox_insert(connection.dialect.name), values).scalar() is not None


@cache
def _outbox_insert(dialect_name: str):
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, built once for each database and run
    on the session's connection with the message's values (the outbox is no table the ORM's
    events watch). RETURNING, not rowcount: psycopg reports no reliable rowcount for it."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    return (
        dialect.insert(OutboxMessage.__table__)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.__table__.c.id)
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_link(user_id: int | None, kind: str, email: str | None = None) -> str | None:
    """The one-click link that stops `kind` (or, for the digest, every kind chosen daily) for
    this person: their account's choice, or, for a contact without an account, their address's.
    None when there is neither (nobody to stop it for)."""
    if user_id is not None:
        data: dict = {"user": user_id, "kind": kind}
    elif email and kind != DIGEST:
        data = {"email": email.lower(), "kind": kind}
    else:
        return None
    return absolute_url("notifications.unsubscribe", token=_serializer().dumps(data))


@dataclass(frozen=True)
class Unsubscribing:
    """What a link stops: a kind, for an account (`user_id`) or for a contact's address (`email`)."""

    kind: str
    user_id: int | None = None
    email: str | None = None


def _unsubscribing(data) -> Unsubscribing | None:
    if not isinstance(data, dict) or (data.get("kind") not in KINDS and data.get("kind") != DIGEST):
        return None
    if isinstance(data.get("user"), int):
        return Unsubscribing(data["kind"], user_id=data["user"])
    email = data.get("email")
    if isinstance(email, str) and "@" in email and len(email) <= 254 and data["kind"] != DIGEST:
        return Unsubscribing(data["kind"], email=email)
    return None


def read_unsubscribe_token(token: str) -> Unsubscribing:
    """What a link stops; a RuleViolation says plainly if it was changed or is too old."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_LIFETIME)
    except SignatureExpired:
        raise RuleViolation(
            "This unsubscribe link is too old to use. Sign in and choose which emails you get on your account page."
        ) from None
    except BadSignature:
        raise RuleViolation(
            "This unsubscribe link is not complete or has been changed. Use the link from "
            "the email as it is, or sign in and choose on your account page."
        ) from None
    if (unsubscribing := _unsubscribing(data)) is None:
        raise RuleViolation("This unsubscribe link is not one we made.")
    return unsubscribing


def _set_choice(user_id: int, kind: str, delivery: Delivery) -> str:
    """Write one choice; answers the previous one."""
    row = db.session.scalar(
        select(NotificationChoice).where(NotificationChoice.user_id == user_id, NotificationChoice.kind == kind)
    )
    before = row.delivery if row else Delivery.IMMEDIATELY.value
    if row is None:
        db.session.add(NotificationChoice(user_id=user_id, kind=kind, delivery=delivery.value))
    else:
        row.delivery = delivery.value
    return before


def unsubscribe(*, token: str) -> str:
    """Stop the kind a link names (the digest link: every kind chosen daily) for the person it
    names, with or without signing in; audited. Answers what was stopped, in words."""
    unsubscribing = read_unsubscribe_token(token)
    user_id, kind = unsubscribing.user_id, unsubscribing.kind
    if user_id is None:
        return _stop_for_address(unsubscribing)
    with unit_of_work(
        conflict=Conflict("The account this link was for no longer exists, so there is nothing to stop.")
    ):
        if kind == DIGEST:
            kinds = db.session.scalars(
                select(NotificationChoice.kind).where(
                    NotificationChoice.user_id == user_id, NotificationChoice.delivery == Delivery.DAILY.value
                )
            ).all()
        else:
            kinds = [kind]
        for name in kinds:
            _set_choice(user_id, name, Delivery.NEVER)
        record_event(
            actor=None,
            action="notifications.unsubscribed",
            object_type="user",
            object_id=user_id,
            summary="Unsubscribed by email link",
            after={"never": sorted(kinds)},
        )
    return "the daily digest" if kind == DIGEST else KINDS[kind].label.lower()


def _stop_for_address(unsubscribing: Unsubscribing) -> str:
    """A contact without an account stops a kind for their address (once: a second click changes
    nothing); recorded in the audit trail without the address."""
    email, kind = (unsubscribing.email or "").lower(), unsubscribing.kind
    with unit_of_work(conflict=Conflict("These emails were already stopped for your address.")):
        if (
            db.session.scalar(
                select(NotificationOptOut.id).where(NotificationOptOut.email == email, NotificationOptOut.kind == kind)
            )
            is None
        ):
            row = NotificationOptOut(email=email, kind=kind, created_at=utcnow())
            db.session.add(row)
            db.session.flush()
            record_event(
                actor=None,
                action="notifications.unsubscribed",
                object_type="notification_opt_out",
                object_id=row.id,
                summary="A contact without an account unsubscribed by email link",
                after={"never": [kind]},
            )
    return KINDS[kind].label.lower()


def choices_for(user_id: int) -> dict[str, str]:
    """Every kind a person may choose, with their choice (immediately when never chosen)."""
    chosen = dict(
        db.session.execute(
            select(NotificationChoice.kind, NotificationChoice.delivery).where(NotificationChoice.user_id == user_id)
        )
        .tuples()
        .all()
    )
    return {name: chosen.get(name, Delivery.IMMEDIATELY.value) for name, kind in KINDS.items() if not kind.security}


def set_choices(*, actor, choices: dict[str, str]) -> None:
    """Save a person's own choices; security kinds cannot be chosen (they always go). Audited."""
    changed = {}
    with unit_of_work():
        current = choices_for(actor.id)
        for name, value in choices.items():
            kind = KINDS.get(name)
            if kind is None or kind.security or value not in kind.choices:
                raise RuleViolation(f"Choose how you get {kind.label.lower() if kind else 'that kind'}.", field=name)
            if current[name] != value:
                changed[name] = {"before": _set_choice(actor.id, name, Delivery(value)), "after": value}
        if changed:
            record_event(
                actor=actor,
                action="notifications.choices_changed",
                object_type="user",
                object_id=actor.id,
                summary="Changed which emails they get",
                after=changed,
            )


def setting() -> NotificationSetting:
    """The settings row (made on first use, in the caller's unit of work)."""
    row = db.session.scalar(select(NotificationSetting).order_by(NotificationSetting.id).limit(1))
    if row is None:
        row = NotificationSetting(digest_time=rules.DEFAULT_DIGEST_TIME)
        db.session.add(row)
        db.session.flush()
    return row


def set_digest_time(*, actor, digest_time: str) -> None:
    """Coordinators choose when the daily digest goes (London time). Audited."""
    try:
        parsed = rules.parse_digest_time(digest_time)
    except ValueError as error:
        raise RuleViolation(str(error), field="digest_time") from None
    with unit_of_work():
        row = setting()
        before, row.digest_time = row.digest_time, parsed.strftime("%H:%M")
        record_event(
            actor=actor,
            action="notifications.digest_time_changed",
            object_type="notification_setting",
            object_id=row.id,
            summary=f"Daily digest time set to {row.digest_time}",
            before={"digest_time": before},
            after={"digest_time": row.digest_time},
        )


def send_again(*, actor, message_id: int, now: datetime) -> None:
    """Put a failed message (or one a stopped worker may have sent) back in the queue. Audited."""
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound()
        if message.state not in {"failed", "sending"}:
            raise RuleViolation("Only a message that failed, or may not have been sent, can be sent again.")
        before = message.state
        message.state, message.tries, message.due_at = "pending", 0, now
        record_event(
            actor=actor,
            action="notifications.sent_again",
            object_type="outbox_message",
            object_id=message.id,
            summary=f"Sent a {message.kind} message again",
            before={"state": before},
            after={"state": "pending"},
        )


def gather_due_digests(now: datetime) -> int:
    """At the daily digest time, fold each person's waiting `digest` messages into one email (in
    the outbox, pending) and mark the folded ones sent. Answers how many digests were written."""
    with unit_of_work():
        row = setting()
        if not rules.digest_due(now=now, digest_time=row.digest_time, last_digest_at=row.last_digest_at):
            return 0
        row.last_digest_at = now
        waiting = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == "digest")
            .order_by(OutboxMessage.recipient_user_id, OutboxMessage.id)
        ).all()
        people: dict[tuple, list[OutboxMessage]] = {}
        for message in waiting:
            people.setdefault((message.recipient_user_id, message.recipient_email), []).append(message)
        for (user_id, email), messages in people.items():
            _write_digest(user_id, email, messages, now)
    return len(people)


def _write_digest(user_id: int | None, email: str, messages: list[OutboxMessage], now: datetime) -> None:
    name = messages[0].recipient_name
    unsubscribe_url = unsubscribe_link(user_id, DIGEST)
    page = dict(
        recipient=Recipient(name, email, user_id),
        messages=messages,
        subject="Your daily summary",
        parts=[(message.subject, rules.digest_part(message.text_body)) for message in messages],
        why="You chose to get some kinds of email once a day, together.",
        signed_by=SIGNED_BY,
        unsubscribe_url=unsubscribe_url,
    )
    who = f"user:{user_id}" if user_id else f"email:{email}"
    db.session.add(
        OutboxMessage(
            key=f"{DIGEST}|{now:%Y-%m-%dT%H:%M}|{who}"[:255],
            kind=DIGEST,
            occasion=f"digest:{now:%Y-%m-%d}",
            recipient_user_id=user_id,
            recipient_email=email,
            recipient_name=name,
            subject=f"Your daily summary: {len(messages)} message{'s' if len(messages) != 1 else ''}",
            text_body=render_template("email/digest.txt", **page),
            html_body=render_template("email/digest.html", **page),
            state="pending",
            tries=0,
            created_at=now,
            due_at=now,
            unsubscribe_url=unsubscribe_url,
        )
    )
    for message in messages:
        message.state, message.sent_at = "sent", now
