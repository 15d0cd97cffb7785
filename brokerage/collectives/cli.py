"""The collectives' command: `flask close-due-polls` closes every vote whose window has ended
(or whose outcome is settled) and lands its decision. Due votes also close before the next
page that shows votes (voting/closing.py, settle_due_votes)."""

import click
from flask.cli import with_appcontext

from ..core.values.timeutils import utcnow
from .voting.closing import close_due_polls


@click.command("close-due-polls")
@with_appcontext
def close_due_polls_command() -> None:
    """Close votes that are due and record their decisions. Safe to run at any time."""
    closed = close_due_polls(now=utcnow())
    click.echo(f"{closed} vote{'' if closed == 1 else 's'} closed.")
