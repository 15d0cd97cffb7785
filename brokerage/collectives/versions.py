"""Versioned rules of a collective (decision rules, match rule): the version in force on a day
is the latest one effective on or before it (one per day per collective: unique)."""

from sqlalchemy import select
from sqlalchemy.orm import aliased


def in_force_id(model, collective_id, day):
    """The id of the `model` version in force on `day` for `collective_id` (columns or bound
    parameters), as a scalar subquery: NULL while no version is, and the default applies.
    Aliased, so that a statement may join `model` itself on it."""
    version = aliased(model)
    return (
        select(version.id)
        .where(version.collective_id == collective_id, version.effective_from <= day)
        .order_by(version.effective_from.desc())
        .limit(1)
        .correlate_except(version)
        .scalar_subquery()
    )
