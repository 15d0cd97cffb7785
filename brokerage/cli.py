"""Command-line tasks: `flask seed`, `flask create-user`, `flask backup`."""

from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts import services as accounts
from .backup import BackupError, backup_sqlite
from .collectives.cli import close_due_polls_command
from .collectives.members.membership import ensure_collectives
from .core.input.kept_forms import forget_expired
from .core.values.roles import Role
from .core.values.timeutils import london_today, utcnow
from .directory.cli import directory, geo
from .directory.search.synthetic import seed_synthetic_activities
from .directory.seed import seed_directory_reference
from .errors import RuleViolation
from .notifications.cli import notifications
from .outcomes.stories.cli import outcomes
from .seeding import seed_demo, seed_localities


@click.command("seed")
@with_appcontext
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="Also load the demo partners, people and accounts (not for real deployments).",
)
@click.option(
    "--synthetic-activities",
    "synthetic",
    type=click.IntRange(1, 1_000_000),
    default=None,
    help="Instead of the demo data, add this many synthetic activities (for load tests).",
)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=1,
    show_default=True,
    help="With --synthetic-activities: the same seed (on the same day) gives the same data.",
)
def seed_command(demo: bool, synthetic: int | None, random_seed: int) -> None:
    """Load reference data (and demo data). Safe to run again: nothing is duplicated
    (except --synthetic-activities, which adds N more each time)."""
    if synthetic:
        _seed_synthetic(synthetic, random_seed)
        return
    if not demo:
        added = seed_localities()
        collectives = ensure_collectives()
        districts, categories = seed_directory_reference()
        click.echo(
            f"Localities added: {added}. Collectives added: {collectives}. "
            f"Postcode districts added: {districts}. Activity categories added: {categories}."
        )
        return
    created = seed_demo()
    if not created:
        click.echo("Demo data is already loaded; no new accounts.")
        return
    click.echo("Demo accounts (shown once; passwords are random):")
    for email, roles, password in created:
        click.echo(f"  {email:48} {password}   ({roles})")


def _seed_synthetic(count: int, random_seed: int) -> None:
    seed_localities()
    seed_directory_reference()
    now = utcnow()
    with click.progressbar(length=count, label="Adding synthetic activities") as bar:
        seed_synthetic_activities(count, seed=random_seed, now=now, today=london_today(now), progress=bar.update)
    click.echo(f"Synthetic activities added: {count:,} (seed {random_seed}).")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", prompt="Full name", help="The person's name.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in Role]),
    help="May be given more than once.",
)
@click.password_option(help="Asked for when not given; at least 10 characters.")
def create_user_command(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create an account with a password, e.g. the first coordinator of a real deployment."""
    try:
        user = accounts.create_user(
            actor=None, email=email, name=name, roles=[Role(r) for r in roles], password=password
        )
    except RuleViolation as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@click.command("backup")
@with_appcontext
@click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path | None) -> None:
    """Copy the SQLite database to DESTINATION (default: instance/backups/<timestamp>.sqlite3)."""
    target = destination or Path(current_app.instance_path) / "backups" / f"{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    try:
        backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {target} (integrity check passed).")


@click.command("forget-kept-forms")
@with_appcontext
def forget_kept_forms_command() -> None:
    """Delete what people typed into forms that could not be saved, once past its two hours."""
    click.echo(f"Forgot {forget_expired()} kept form(s).")


def register_commands(app: Flask) -> None:
    for command in (
        seed_command,
        create_user_command,
        backup_command,
        geo,
        directory,
        outcomes,
        notifications,
        close_due_polls_command,
        forget_kept_forms_command,
    ):
        app.cli.add_command(command)
