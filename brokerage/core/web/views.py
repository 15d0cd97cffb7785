"""The home page, each person's starting page, and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from ...extensions import db
from ..data.unit_of_work import unit_of_work
from .access import public, signed_in_scoped_too
from .pages import dashboard_panels, dashboard_sections

bp = Blueprint("core", __name__)


@bp.route("/")
@public
def home():
    return render_template("core/web/home.html")


@bp.route("/dashboard")
@signed_in_scoped_too
def dashboard():
    return render_template(
        "core/web/dashboard.html", sections=dashboard_sections(current_user), panels=dashboard_panels(current_user)
    )


@bp.route("/healthz")
@public
def healthz():
    """200 while the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with unit_of_work():  # ends the probe's transaction, committed or rolled back
            db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "not healthy"
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
