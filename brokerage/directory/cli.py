"""`flask geo ...`: load postcode centroids and look postcodes up, all offline.
`flask directory refresh-occurrences`: keep upcoming sessions current.
`flask directory purge-interest`: delete expired interest entries and shortlists;
`flask directory purge-guided-visits`: remove guided first visits' personal details after retention;
`flask directory purge-search-misses`: delete counts of searches that found nothing, over 12 months old."""

import json
import os

import click
from flask.cli import AppGroup

from ..core.values.postcodes import InvalidPostcode
from ..core.values.timeutils import utcnow
from ..errors import RuleViolation
from .geo.locations import UNKNOWN_MESSAGE, load_district_centroids, locate
from .geo.onspd import DEFAULT_BATCH_SIZE, import_onspd
from .interest.services import purge_expired_interest
from .listings.occurrences import refresh_all_occurrences
from .search.misses.services import purge_old_search_misses
from .shortlist.services import purge_expired_shortlists
from .visits.services import purge_expired_visits


@click.group("geo", cls=AppGroup)
def geo() -> None:
    """Postcode geography for the activity directory."""


@geo.command("load-districts")
@click.option("--replace", is_flag=True, help="Also overwrite centres recalculated from an ONSPD import.")
def load_districts_command(replace: bool) -> None:
    """Load the postcode district centres shipped with the project (safe to run again)."""
    click.echo(f"Postcode districts written: {load_district_centroids(replace=replace)}.")


@geo.command("import-onspd")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--batch-size",
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(1, 50_000),
    help="Rows written (and committed) together.",
)
def import_onspd_command(csv_file: str, batch_size: int) -> None:
    """Load full postcode centroids from the ONS Postcode Directory CSV (safe to run again)."""
    size = os.path.getsize(csv_file)
    with open(csv_file, "rb") as stream, click.progressbar(length=size, label="Importing postcodes") as bar:
        try:
            summary = import_onspd(stream, batch_size=batch_size, progress=bar.update)
        except RuleViolation as error:
            raise click.ClickException(error.message) from error
    click.echo(
        f"Postcodes loaded: {summary.loaded:,} (of which terminated: {summary.terminated:,}); "
        f"rows skipped: {summary.skipped:,}; district centres recalculated: {summary.districts:,}."
    )


@geo.command("lookup")
@click.argument("postcode")
def lookup_command(postcode: str) -> None:
    """Print where a postcode or district is, as JSON."""
    try:
        location = locate(postcode)
    except InvalidPostcode as error:
        raise click.ClickException(str(error)) from error
    if location is None:
        raise click.ClickException(UNKNOWN_MESSAGE)
    click.echo(json.dumps(location.as_dict()))


@click.group("directory", cls=AppGroup)
def directory() -> None:
    """The activity directory."""


@directory.command("refresh-occurrences")
def refresh_occurrences_command() -> None:
    """Recalculate every activity's sessions for the next 12 weeks (run nightly)."""
    activities, sessions = refresh_all_occurrences(now=utcnow())
    click.echo(f"Activities refreshed: {activities}. Upcoming sessions: {sessions}.")


@directory.command("purge-interest")
def purge_interest_command() -> None:
    """Delete "I'm interested" entries past their retention (6 months) and expired shortlists (run daily)."""
    now = utcnow()
    interests, shortlists = purge_expired_interest(now=now), purge_expired_shortlists(now=now)
    click.echo(f"Interest entries deleted: {interests}. Expired shortlists deleted: {shortlists}.")


@directory.command("purge-guided-visits")
def purge_guided_visits_command() -> None:
    """Remove the personal details of guided first visits 3 months after their session (run daily)."""
    click.echo(f"Guided first visits purged of personal details: {purge_expired_visits(now=utcnow())}.")


@directory.command("purge-search-misses")
def purge_search_misses_command() -> None:
    """Delete the counts of searches that found nothing once they are 12 months old (run daily)."""
    click.echo(f"Counts of searches that found nothing deleted: {purge_old_search_misses(now=utcnow())}.")
