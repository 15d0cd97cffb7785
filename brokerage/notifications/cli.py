"""`flask notifications deliver`: the delivery worker (README, "Notifications")."""

import logging
import time

import click
from flask import current_app
from flask.cli import AppGroup

from .delivery import cycle_context, run_cycle

notifications = AppGroup("notifications", help="Deliver the outbox's emails.")
log = logging.getLogger("brokerage.notifications")


@notifications.command("deliver")
@click.option("--once", is_flag=True, help="Run the sweeps, send what is due, and exit (for cron, every minute).")
@click.option(
    "--interval",
    type=click.FloatRange(0.5, 300),
    default=5.0,
    show_default=True,
    help="Seconds between cycles when running until stopped.",
)
def deliver_command(once: bool, interval: float) -> None:
    """Run the sweeps, gather the daily digests and send due emails, every few seconds until stopped."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as the app
    while True:
        try:
            with cycle_context(app):
                done = run_cycle()
        except Exception:
            if once:
                raise
            log.exception("notification delivery cycle failed; trying again")
        else:
            if once or any(done.values()):
                click.echo(
                    f"Sweeps wrote {done['swept']}, digests {done['digests']}, "
                    f"sent {done['sent']}, not sent {done['not_sent']}."
                )
        if once:
            return
        time.sleep(interval)
