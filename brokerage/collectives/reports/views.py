"""Reports per locality and financial year (coordinators): the page and its CSV download."""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ...core.data.models import Locality
from ...core.input.forms import Form, PickerField
from ...core.values.roles import Role
from ...core.values.timeutils import financial_year_label, financial_year_start, london_today, utcnow
from ...core.web.access import roles_required
from ...extensions import db
from ..calls.access import sees_answers
from ..calls.pages import register_call_panel
from . import pages as reports
from .call_progress import call_progress, csv_rows, locality_calls

bp = Blueprint("reports", __name__)
register_call_panel(
    lambda viewer, call, day: {"progress": call_progress(call, day), "sees_answers": sees_answers(viewer, call, day)}
)


class ReportForm(Form):
    """The locality and year picker (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    locality = PickerField("Locality", "Choose a locality from the list.")
    year = PickerField("Financial year", "Choose a financial year from the list.", coerce=int)


def _picker():
    """The picker filled from the query string (defaults: the first locality, this year)."""
    localities = list(db.session.scalars(select(Locality).order_by(Locality.name)))
    today = london_today(utcnow())
    form = ReportForm(request.args, data={"locality": localities[0].slug, "year": financial_year_start(today)})
    form.locality.choices = [(item.slug, item.name) for item in localities]
    form.year.choices = [(year, financial_year_label(year)) for year in reports.report_years(today=today)]
    valid = form.validate()
    locality = next((item for item in localities if item.slug == form.locality.data), None)
    return form, (locality if valid else None)


@bp.route("/reports")
@roles_required(Role.COORDINATOR)
def index():
    form, locality = _picker()
    if locality is None:
        return render_template("collectives/reports/index.html", form=form, report=None), 400
    report = reports.locality_report(actor=current_user, locality=locality, start_year=form.year.data)
    calls = locality_calls(locality=locality, start_year=form.year.data, day=london_today(utcnow()))
    return render_template("collectives/reports/index.html", form=form, report=report, calls=calls)


@bp.route("/reports.csv")
@roles_required(Role.COORDINATOR)
def download():
    form, locality = _picker()
    if locality is None:
        return render_template("collectives/reports/index.html", form=form, report=None), 400
    report = reports.locality_report(actor=current_user, locality=locality, start_year=form.year.data)
    calls = locality_calls(locality=locality, start_year=form.year.data, day=london_today(utcnow()))
    filename = f"report-{locality.slug}-{report.year_label}.csv"
    return Response(
        reports.report_csv(report, csv_rows(calls)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
