"""`flask outcomes erase-unconsented-stories`: erase stories still without consent after 6 months."""

import click
from flask.cli import AppGroup

from ...core.values.timeutils import utcnow
from .services import erase_unconsented_stories


@click.group("outcomes", cls=AppGroup)
def outcomes() -> None:
    """Wellbeing measures and stories."""


@outcomes.command("erase-unconsented-stories")
def erase_unconsented_stories_command() -> None:
    """Erase stories still without consent 6 months after they were added (run daily)."""
    click.echo(f"Stories erased: {erase_unconsented_stories(now=utcnow())}.")
