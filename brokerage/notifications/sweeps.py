"""Checks that run on the delivery worker's clock rather than on a person's request: a vote's
reminder, the weekly renewals digest, listings due a check. Each feature that owns such a check
registers it here (notifications never import the features); each check writes its messages
through `notify`, whose per-occasion key makes running it twice harmless."""

from collections.abc import Callable
from datetime import datetime

Sweep = Callable[[datetime], int]
SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, sweep: Sweep) -> None:
    """`sweep(now)` writes whatever messages are due at `now` and answers how many."""
    SWEEPS[name] = sweep


def registered_sweeps() -> dict[str, Sweep]:
    return dict(SWEEPS)
