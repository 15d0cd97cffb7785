"""Reports per locality and financial year: funds by state, bids by state, days from
submission to decision (median and maximum), match leverage; page and CSV. Fixed dates:
bids submitted 15 June 2026, decided 18 and 22 June."""
import csv
import io
from datetime import timedelta

import pytest

from brokerage.collectives.reports import pages as reports
from brokerage.core.data.models import Locality
from brokerage.errors import PermissionDenied
from brokerage.extensions import db

from tests.conftest import page_text

from ..bids.helpers import NOW, load
from ..grants.helpers import approve, pay, sign

LATER = NOW + timedelta(days=30)


@pytest.fixture
def decided(app, world, electorate, open_poll, make_bid):
    """Two approved £4,000 awards (3 and 7 days after submission), one with its agreement signed
    and £1,000 paid, one bid open for a vote, one submitted, one draft; in Barnsley 2026-27."""
    first = sign(app, world, approve(app, open_poll(title="Memory group"), electorate))
    approve(app, open_poll(title="Walking football", closes_at=NOW + timedelta(days=7)), electorate,
            closes=NOW + timedelta(days=7))
    open_poll(title="Still being voted on", closes_at=NOW + timedelta(days=7))
    make_bid(status="submitted", title="Waiting for screening")
    make_bid(title="A draft")
    with app.app_context():
        pay(world, first, 100_000, LATER)


def barnsley():
    return db.session.query(Locality).filter_by(slug="barnsley").one()


def test_report_counts_money_bids_decision_days_and_leverage(app, world, decided):
    with app.app_context():
        report = reports.locality_report(actor=load(world.coordinator), locality=barnsley(), start_year=2026)
        money = report.funds
        assert (money.allocated, money.earmarked, money.committed, money.paid, money.available) == (
            5_000_000, 400_000, 700_000, 100_000, 3_800_000)
        counts = dict(report.bids_by_state)
        assert (counts["approved"], counts["agreement"], counts["open_for_vote"], counts["submitted"],
                report.bids_total) == (1, 1, 1, 1, 4)
        assert report.decision_days == [3, 7]
        assert (report.median_days, report.max_days) == (5, 7)
        assert float(report.leverage) == 1.5  # £6,000 confirmed partner funds per £4,000 award


def test_another_year_or_locality_has_nothing(app, world, decided):
    with app.app_context():
        earlier = reports.locality_report(actor=load(world.coordinator), locality=barnsley(), start_year=2025)
        assert (earlier.bids_total, earlier.decision_days, earlier.leverage) == (0, [], None)
        assert earlier.funds.allocated == 0


def test_only_coordinators_see_reports(app, client, auth, world, decided):
    with app.app_context():
        with pytest.raises(PermissionDenied):
            reports.locality_report(actor=load(world.barnsley_member), locality=barnsley(), start_year=2026)
    auth.login(world.reds_contact)
    assert client.get("/reports").status_code == 403
    assert client.get("/reports.csv?locality=barnsley&year=2026").status_code == 403


def test_report_page_shows_the_chosen_locality_and_year(client, auth, world, decided, fixed_now):
    auth.login(world.coordinator)
    text = page_text(client.get("/reports?locality=barnsley&year=2026"))
    assert "Reports: Barnsley 2026-27" in text
    assert "Median days from submission to decision 5" in text and "Longest 7 days" in text
    assert "£1.50 of partner funds for every £1 of match funding" in text
    assert "Available £38,000" in text


@pytest.mark.parametrize("query, message", [("locality=nowhere&year=2026", "Choose a locality from the list."),
                                            ("locality=barnsley&year=soon", "Choose a financial year from the list."),
                                            ("locality=barnsley&year=1999", "Choose a financial year from the list.")])
def test_a_bad_choice_is_a_clear_message_not_an_error(client, auth, world, fixed_now, query, message):
    auth.login(world.coordinator)
    response = client.get(f"/reports?{query}")
    assert response.status_code == 400
    assert message in page_text(response)


def test_report_csv_download(client, auth, world, decided, fixed_now):
    auth.login(world.coordinator)
    response = client.get("/reports.csv?locality=barnsley&year=2026")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "report-barnsley-2026-27.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Available", "38000.00"] in rows and ["Paid", "1000.00"] in rows
    assert ["Median days from submission to decision", "5"] in rows
    assert ["Partner funds per £1 of match", "1.50"] in rows


def test_report_csv_cells_are_formula_safe(app, world):
    with app.app_context():
        locality = barnsley()
        report = reports.locality_report(actor=load(world.coordinator), locality=locality, start_year=2026)
        locality.name = "=HYPERLINK(\"http://evil\")"
        body = reports.report_csv(report)
        db.session.rollback()
    assert "'=HYPERLINK" in body
