"""The least a signed-in write costs in this stack, for write_burst.py: the brokerage app itself
(its settings, hooks, sign-in check against the session row, CSRF) with one more route that
writes one audit row through the unit of work, flashes and redirects, as a successful write
does. Beside floor_app.py (the framework alone, no database) it shows how much of W1's and W2's
time goes to what every signed-in, audited write pays, and how much to the vote's own work.

The route exists only in this module: the app people use never has it.

    gunicorn -w 4 least_write_app:app   (from benchmarks/, with DATABASE_URL set)"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Blueprint, flash, redirect  # noqa: E402
from flask_login import current_user  # noqa: E402

from brokerage import create_app  # noqa: E402
from brokerage.audit.services import record_event  # noqa: E402
from brokerage.core.data.unit_of_work import unit_of_work  # noqa: E402
from brokerage.core.web.access import signed_in  # noqa: E402

PATH = "/least-write"
least = Blueprint("least_write", __name__)


@least.post(f"{PATH}/<int:number>")
@signed_in
def write(number: int):
    with unit_of_work():
        record_event(actor=current_user, action="benchmark.least_write", object_type="benchmark",
                     object_id=number, summary="The least signed-in write")
    flash("Saved.", "success")
    return redirect(f"{PATH}/{number}/done")


app = create_app()
app.register_blueprint(least)
