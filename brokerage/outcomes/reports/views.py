"""Impact pages: the year's public headline, and reports per project, partner, locality or every
locality for a financial year, printable and as CSV (scopes.py decides who sees which)."""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from ...core.input.forms import Form, PickerField
from ...core.values.roles import Role
from ...core.values.timeutils import financial_year_label, financial_year_start, london_today, utcnow
from ...core.web.access import public, roles_required, signed_in
from . import pages, panels  # noqa: F401  (panels registers the stories panels on other pages)
from .access import can_see_every_report
from .export import report_csv
from .headline import headline_sentences, year_headline
from .scopes import ALL, KINDS, Scope, scope_for

bp = Blueprint("impact", __name__, url_prefix="/impact")
SCOPE_KINDS = "any(" + ", ".join(KINDS) + ")"


class YearForm(Form):
    """The financial year picker (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    year = PickerField("Financial year", "Choose a financial year from the list.", coerce=int)


def _year() -> tuple[YearForm, int | None]:
    """The year picker filled from the query string (default: this financial year)."""
    today = london_today(utcnow())
    form = YearForm(request.args, data={"year": financial_year_start(today)})
    form.year.choices = [(year, financial_year_label(year)) for year in pages.report_years(today=today)]
    return form, (form.year.data if form.validate() else None)


def _chosen(scope: Scope):
    """(the picker, the report for the chosen year, or None when the year is not one offered)."""
    form, year = _year()
    report = pages.impact_report(actor=current_user, scope=scope, start_year=year) if year is not None else None
    return form, report


def _report_page(scope: Scope):
    form, report = _chosen(scope)
    page = render_template(
        "outcomes/reports/report.html",
        form=form,
        scope=scope,
        report=report,
        can_see_every_report=can_see_every_report(current_user),
    )
    return page, (200 if report is not None else 400)


def _report_csv(scope: Scope):
    form, report = _chosen(scope)
    if report is None:
        return render_template(
            "outcomes/reports/report.html",
            form=form,
            scope=scope,
            report=None,
            can_see_every_report=can_see_every_report(current_user),
        ), 400
    filename = f"impact-{scope.kind}{'-' + str(scope.id) if scope.id else ''}-{report.year_label}.csv"
    return Response(
        report_csv(report), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


@bp.route("")
@public
def headline():
    form, year = _year()
    if year is None:
        return render_template("outcomes/reports/headline.html", form=form, report=None), 400
    report = year_headline(year)
    return render_template(
        "outcomes/reports/headline.html",
        form=form,
        report=report,
        sentences=headline_sentences(report),
        can_see_every_report=can_see_every_report(current_user),
    )


@bp.route("/reports")
@roles_required(Role.COORDINATOR)
def index():
    form, year = _year()
    page = render_template("outcomes/reports/index.html", form=form, year=year, choices=pages.report_choices())
    return page, (200 if year is not None else 400)


@bp.route("/reports/all")
@roles_required(Role.COORDINATOR)
def all_projects():
    return _report_page(ALL)


@bp.route("/reports/all.csv")
@roles_required(Role.COORDINATOR)
def all_projects_csv():
    return _report_csv(ALL)


@bp.route(f"/reports/<{SCOPE_KINDS}:kind>/<int:scope_id>")
@signed_in
def report(kind: str, scope_id: int):
    return _report_page(scope_for(kind, scope_id))


@bp.route(f"/reports/<{SCOPE_KINDS}:kind>/<int:scope_id>.csv")
@signed_in
def report_download(kind: str, scope_id: int):
    return _report_csv(scope_for(kind, scope_id))
