"""Outcomes are recorded against projects: a project is a directory activity. Every stage finds
one the same way."""

from ..directory.listings.models import Activity
from ..errors import NotFound
from ..extensions import db


def get_project(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound()
    return activity
