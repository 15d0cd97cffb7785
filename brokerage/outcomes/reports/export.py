"""An impact report as CSV, with the same suppression as its page: hidden counts of people, and
the figures from hidden pairs, read "not shown (small numbers)" (measures/pairing.py, measures/suppression.py)."""

import csv
import io

from ...partners.organisations.export import safe_cell
from ..measures.pairing import NOT_SHOWN
from .pages import ImpactReport


def _pounds(pence: int) -> str:
    return f"{pence / 100:.2f}"


def _wellbeing_rows(report: ImpactReport) -> list[list]:
    summary, shares = report.summary, report.summary.shares
    figures = (
        [
            summary.mean_baseline,
            summary.mean_follow_up,
            summary.mean_change,
            *(shares[key] for key in ("improved", "unchanged", "worse")),
        ]
        if summary.reportable and shares is not None
        else [NOT_SHOWN] * 6
    )
    labels = [
        "Mean baseline score",
        "Mean follow-up score",
        "Mean change",
        "Improved (%)",
        "Unchanged (%)",
        "Worse (%)",
    ]
    return [
        ["Wellbeing (SWEMWBS metric score, 7 to 35)", "Value"],
        ["Participants", summary.participants_shown],
        ["Pairs (baseline and follow-up)", summary.pairs_shown],
        ["Projects", report.projects],
        *[[label, value] for label, value in zip(labels, figures, strict=False)],
    ]


def _funding_rows(report: ImpactReport) -> list[list]:
    funding = report.funding
    if funding is None:
        return [["Bids and money", "Bids are made by partners: see the partner's report"]]
    median = f"{funding.median_days:g}" if funding.median_days is not None else ""
    leverage = f"{float(funding.leverage):.2f}" if funding.leverage is not None else ""
    return [
        ["Bids and money", "Value"],
        ["Bids submitted", funding.bids_submitted],
        ["Awards", funding.awards],
        ["Match awarded (pounds)", _pounds(funding.awarded_pence)],
        ["Partner funds matched (pounds)", _pounds(funding.partner_funds_pence)],
        ["Partner funds per £1 of match", leverage],
        ["Median days from submission to decision", median],
    ]


def report_csv(report: ImpactReport) -> str:
    """The report as CSV (every cell formula-safe), with a BOM for spreadsheets."""
    rows = [
        ["Report", report.scope.name],
        ["Financial year", report.year_label],
        [],
        *_wellbeing_rows(report),
        [],
        *_funding_rows(report),
        [],
        ["Story", "Project", "Told on", "Community reporter", "Sharing", "Link", "Text"],
        *[
            [
                story.title,
                story.activity.title,
                story.told_on.isoformat(),
                story.reporter,
                story.consent_label,
                story.media_url,
                story.text,
            ]
            for story in report.stories
        ],
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
