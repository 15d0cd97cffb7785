"""search bands of 0.01 degrees (about 1.1 km), half their old height

A search near a postcode counts the middle of each band without measuring distances
(brokerage/directory/search_strips.py); narrower bands leave fewer places at their ends to
measure. The bands of existing activities and their search terms are recomputed here.

Revision ID: 0006
Revises: 0005
"""
import math

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _reband(degrees: float) -> None:
    """Every activity's band (and its search terms') for bands `degrees` high, as band_of computes it."""
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, latitude FROM activity")).all()
    bands = [{"id": activity_id, "band": None if latitude is None else math.floor(latitude / degrees)}
             for activity_id, latitude in rows]
    if bands:
        connection.execute(sa.text("UPDATE activity SET search_band = :band WHERE id = :id"), bands)
        connection.execute(sa.text("UPDATE activity_search_term SET search_band = :band WHERE activity_id = :id"),
                           bands)


def upgrade():
    _reband(0.01)


def downgrade():
    _reband(0.02)
