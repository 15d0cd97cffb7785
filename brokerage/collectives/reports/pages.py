"""Reports per locality and financial year, for coordinators.

- Funds by state: allocated, earmarked, committed, paid and available in the locality's fund
  for that year (summed from the ledger).
- Bids by state: bids first submitted during the year, by their state now.
- Days from submission to decision: for votes that reached a final decision (approved or not
  approved) during the year, the days from the bid's first submission to the close, in
  Europe/London dates; the median and the maximum. Deferrals are not final decisions.
- Match leverage: for awards made during the year, the partner funds the match rule counted
  (confirmed or received when the vote opened) per £1 of match awarded.
"""

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from sqlalchemy import and_, func, select, true

from ...accounts.models import User
from ...core.data.models import Locality
from ...core.values.timeutils import LONDON, financial_year_bounds, financial_year_label, to_london
from ...errors import PermissionDenied
from ...extensions import db
from ...partners.organisations.export import safe_cell
from ..bids.lifecycle import BidStatus
from ..bids.models import Bid
from ..money import services as funds
from ..money.ledger import FundSummary
from ..money.models import Fund
from ..voting.models import Award, Poll, PollStatus
from ..voting.rules import Outcome

FINAL = (Outcome.APPROVED.value, Outcome.NOT_APPROVED.value)


@dataclass(frozen=True)
class LocalityReport:
    locality: Locality
    start_year: int
    funds: FundSummary
    bids_by_state: list[tuple[BidStatus, int]]  # every state after submission, in workflow order
    decision_days: list[int]
    awarded_pence: int
    partner_funds_pence: int

    @property
    def year_label(self) -> str:
        return financial_year_label(self.start_year)

    @property
    def bids_total(self) -> int:
        return sum(count for _, count in self.bids_by_state)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.decision_days) if self.decision_days else None

    @property
    def max_days(self) -> int | None:
        return max(self.decision_days) if self.decision_days else None

    @property
    def leverage(self) -> Fraction | None:
        """Partner funds per £1 of match (None before any award)."""
        return Fraction(self.partner_funds_pence, self.awarded_pence) if self.awarded_pence else None


def year_window(start_year: int) -> tuple[datetime, datetime]:
    """The financial year as [start, end) instants: London midnights of 1 April and the next 1 April."""
    first, last = financial_year_bounds(start_year)
    return (
        datetime.combine(first, time(), tzinfo=LONDON),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=LONDON),
    )


def _bids_by_state(where, window: tuple[datetime, datetime]) -> list[tuple[BidStatus, int]]:
    counts = dict(
        db.session.execute(
            select(Bid.status, func.count())
            .where(where, Bid.submitted_at >= window[0], Bid.submitted_at < window[1])
            .group_by(Bid.status)
        )
        .tuples()
        .all()
    )
    return [(status, counts.get(status.value, 0)) for status in BidStatus if status is not BidStatus.DRAFT]


def _days(submitted: datetime, decided: datetime) -> int:
    return (to_london(decided).date() - to_london(submitted).date()).days


def _decision_days(where, window: tuple[datetime, datetime]) -> list[int]:
    rows = db.session.execute(
        select(Bid.submitted_at, Poll.closed_at)
        .join(Poll, Poll.bid_id == Bid.id)
        .where(
            where,
            Poll.status == PollStatus.CLOSED.value,
            Poll.outcome.in_(FINAL),
            Poll.closed_at >= window[0],
            Poll.closed_at < window[1],
            Bid.submitted_at.is_not(None),
        )
    )
    return sorted(_days(submitted, decided) for submitted, decided in rows)


def _awards(where, window: tuple[datetime, datetime]) -> tuple[int, int, int]:
    """(match awarded, partner funds matched, number of awards) for awards made in the window."""
    rows = db.session.execute(
        select(Award.amount_pence, Poll.bid_snapshot)
        .join(Poll, Poll.id == Award.poll_id)
        .join(Bid, Bid.id == Award.bid_id)
        .where(where, Award.awarded_at >= window[0], Award.awarded_at < window[1])
    ).all()
    return (
        sum(amount for amount, _ in rows),
        sum(int(snapshot.get("confirmed_funds_pence", 0)) for _, snapshot in rows),
        len(rows),
    )


def locality_report(*, actor: User, locality: Locality, start_year: int) -> LocalityReport:
    """The figures for one locality and financial year (see the module docstring for what
    each counts). Coordinators only (PermissionDenied)."""
    if not actor.is_coordinator:
        raise PermissionDenied()
    window = year_window(start_year)
    where = Bid.locality_id == locality.id
    awarded, partner_funds, _ = _awards(where, window)
    return LocalityReport(
        locality=locality,
        start_year=start_year,
        funds=funds.fund_summary(funds.fund_for(locality=locality, start_year=start_year)),
        bids_by_state=_bids_by_state(where, window),
        decision_days=_decision_days(where, window),
        awarded_pence=awarded,
        partner_funds_pence=partner_funds,
    )


@dataclass(frozen=True)
class FundingTotals:
    """Bids and money for a partner, a locality or every locality in a financial year: only
    aggregates, counted as in LocalityReport (no vote tallies, nothing about people)."""

    bids_submitted: int
    awards: int
    awarded_pence: int
    partner_funds_pence: int
    decision_days: list[int]

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.decision_days) if self.decision_days else None

    @property
    def leverage(self) -> Fraction | None:
        return Fraction(self.partner_funds_pence, self.awarded_pence) if self.awarded_pence else None


def funding_totals(*, start_year: int, locality_id: int | None = None, partner_id: int | None = None) -> FundingTotals:
    """Bids submitted, awards, match awarded, partner funds matched and days to a final decision
    in the financial year, for one partner and/or locality (every locality when neither is given).
    The figures are the ones the grants feed and the locality reports already publish, so any
    caller may have them; they hold no votes and no personal data."""
    window = year_window(start_year)
    where = and_(
        true(),
        *([Bid.locality_id == locality_id] if locality_id is not None else []),
        *([Bid.partner_id == partner_id] if partner_id is not None else []),
    )
    awarded, partner_funds, awards = _awards(where, window)
    return FundingTotals(
        bids_submitted=sum(count for _, count in _bids_by_state(where, window)),
        awards=awards,
        awarded_pence=awarded,
        partner_funds_pence=partner_funds,
        decision_days=_decision_days(where, window),
    )


def report_years(*, today: date) -> list[int]:
    """Financial years to offer: every year with a fund, and the current and next ones."""
    current = today.year if today.month >= 4 else today.year - 1
    years = set(db.session.scalars(select(Fund.start_year).distinct())) | {current, current + 1}
    return sorted(years, reverse=True)


def pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def report_csv(report: LocalityReport, more_rows: list[list] | None = None) -> str:
    """The report as CSV (amounts in pounds; every cell formula-safe), with a BOM for spreadsheets;
    `more_rows` (the calls for bids, call_progress.csv_rows) follow the figures."""
    money = report.funds
    leverage = f"{float(report.leverage):.2f}" if report.leverage is not None else ""
    rows: list[list[object]] = [
        ["Locality", report.locality.name],
        ["Financial year", report.year_label],
        [],
        ["Funds", "Pounds"],
        ["Allocated", pounds(money.allocated)],
        ["Earmarked", pounds(money.earmarked)],
        ["Committed", pounds(money.committed)],
        ["Paid", pounds(money.paid)],
        ["Available", pounds(money.available)],
        [],
        ["Bids submitted in the year, by state now", "Bids"],
        *[[status.label, count] for status, count in report.bids_by_state],
        ["Total", report.bids_total],
        [],
        ["Decisions", "Value"],
        ["Final decisions", len(report.decision_days)],
        [
            "Median days from submission to decision",
            f"{report.median_days:g}" if report.median_days is not None else "",
        ],
        ["Maximum days from submission to decision", report.max_days],
        [],
        ["Match leverage", "Value"],
        ["Match awarded (pounds)", pounds(report.awarded_pence)],
        ["Partner funds matched (pounds)", pounds(report.partner_funds_pence)],
        ["Partner funds per £1 of match", leverage],
        *(more_rows or []),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
