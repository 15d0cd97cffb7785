"""The seam through which accounts adds events to the audit trail without importing audit.

Accounts sits below audit in the layers (audit's pages show who did what, so audit reads
accounts), yet every change to an account is audited. Core declares the call; the app factory
plugs audit's `record_event` into it. Features above audit import `audit.services` directly.
"""

from collections.abc import Callable

from flask import Flask, current_app

RECORDER = "brokerage.record_event"


def install_recorder(app: Flask, record: Callable[..., object]) -> None:
    app.extensions[RECORDER] = record


def record_event(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Add an event to the caller's transaction, as `audit.services.record_event` does."""
    current_app.extensions[RECORDER](
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        before=before,
        after=after,
    )
