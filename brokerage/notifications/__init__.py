"""Notifications: messages to people, written to an outbox in the same transaction as the change
that causes them, and delivered by a worker with retries (README, "Notifications").

- `kinds.py`: every kind of message, whether it is a security message (always sent) and how a
  person may receive it; `models.py`: the outbox, people's choices, the kinds contacts without an
  account stopped, and the digest's time; `rules.py`: retries' backoff and when the digest is due (pure);
- `services.py`: `notify(...)`, which features call inside their unit of work, so a message exists
  if and only if its change committed, once per occasion; choices, unsubscribe links, digests;
- `sweeps.py`: checks that run on the delivery worker's clock (reminders, digests, renewals),
  registered by the features that own them;
- `delivery.py`: the worker's cycle (sweeps, digests, claiming and sending with retries);
  `transport.py`: SMTP, or the log when no mail server is set; `cli.py`: `flask notifications deliver`;
- `pages.py`, `forms.py`, `views.py`: the coordinators' outbox page, people's choices and the
  unsubscribe link.

Notifications sit just above core and below accounts: a recipient is an address, a name and an
optional user id, so any feature (accounts' invitations included) can write to the outbox.
"""


def blueprints() -> tuple:
    """The outbox page, people's choices and the unsubscribe link."""
    from .views import bp

    return (bp,)
