"""Demo calls for bids (seed/calls.json), issued through the services by a coordinator; the
closing day is relative to the day of seeding. A call that already exists (same collective and
title) is skipped, so seeding again changes nothing."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from ...accounts.models import User, UserRole
from ...core.values.roles import Role
from ...core.values.timeutils import london_today, utcnow
from ...extensions import db
from ..members.membership import get_collective
from . import services
from .models import CallForBids
from .rules import CallDetails


def seed_calls(seed_dir: Path) -> None:
    rows = json.loads((seed_dir / "calls.json").read_text(encoding="utf-8"))["calls"]
    coordinator = db.session.scalar(
        select(User).where(User.role_rows.any(UserRole.role == Role.COORDINATOR.value)).order_by(User.id)
    )
    if coordinator is None:
        raise RuntimeError("Load the demo accounts (with a coordinator) before the calls for bids.")
    today = london_today()
    for row in rows:
        collective = get_collective(row["locality"])
        if db.session.scalar(
            select(CallForBids.id).where(CallForBids.collective_id == collective.id, CallForBids.title == row["title"])
        ):
            continue
        details = CallDetails(
            title=row["title"],
            wanted=row["wanted"],
            districts=row["districts"],
            category_code=row["category_code"],
            category_label=row["category_label"],
            audience=row["audience"],
            upper_pence=row["upper_pence"],
            closes_on=today + timedelta(days=row["closes_in_days"]),
        )
        services.issue_call(actor=coordinator, collective=collective, details=details, now=utcnow(), today=today)
