"""A project's results: its measures paired by code and summarised (pairing.py), a bar chart's
geometry for the page, and the anonymous item scores as CSV rows for coordinators."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from ...accounts.models import User
from ...directory.listings.models import Activity
from ...extensions import db
from .access import require_export, require_record
from .models import OutcomeParticipant, WellbeingMeasure
from .pairing import Measure, Summary, pair_measures, summarise
from .rules import ITEM_FIELDS, METRIC_SCORES, metric_score
from .suppression import hidden_cells, project_cell

CHART_WIDTH, CHART_BAR_HEIGHT, CHART_GAP, CHART_LABEL_WIDTH = 320, 28, 16, 110
SCALE_MAX = METRIC_SCORES[35]


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    description: str


def _measures(activity: Activity) -> list[tuple[OutcomeParticipant, WellbeingMeasure]]:
    return list(
        db.session.execute(
            select(OutcomeParticipant, WellbeingMeasure)
            .join(WellbeingMeasure.participant)
            .where(OutcomeParticipant.activity_id == activity.id)
            .order_by(OutcomeParticipant.code, WellbeingMeasure.measured_on)
        ).tuples()
    )


def _participant_count(activity: Activity) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(OutcomeParticipant).where(OutcomeParticipant.activity_id == activity.id)
        )
        or 0
    )


def project_summary(activity: Activity) -> Summary:
    """Participants, pairs and (unless their count is hidden: suppression.py) mean scores, mean
    change and shares for one project, over all time."""
    measures = [
        Measure(
            code=participant.code,
            timepoint=measure.timepoint,
            measured_on=measure.measured_on,
            metric=metric_score(measure.raw_score),
        )
        for participant, measure in _measures(activity)
    ]
    return summarise(
        _participant_count(activity), pair_measures(measures), **hidden_cells().of(project_cell(activity.id))
    )


def chart_for(summary: Summary) -> Chart | None:
    """Two horizontal bars, mean baseline and mean follow-up score on the 7-35 scale (None if suppressed)."""
    baseline, follow_up = summary.mean_baseline, summary.mean_follow_up
    if not summary.reportable or baseline is None or follow_up is None:
        return None
    values = [("Baseline", baseline), ("Follow-up", follow_up)]
    bars = [
        Bar(label, value, index * (CHART_BAR_HEIGHT + CHART_GAP), int(CHART_WIDTH * value / SCALE_MAX))
        for index, (label, value) in enumerate(values)
    ]
    description = (
        f"Mean wellbeing score at baseline {summary.mean_baseline} and at follow-up "
        f"{summary.mean_follow_up}, out of 35, from {summary.pairs} people."
    )
    return Chart(
        bars=bars,
        width=CHART_LABEL_WIDTH + CHART_WIDTH + 60,
        bar_height=CHART_BAR_HEIGHT,
        height=len(bars) * (CHART_BAR_HEIGHT + CHART_GAP),
        label_width=CHART_LABEL_WIDTH,
        description=description,
    )


def project_results(*, actor: User, activity: Activity) -> tuple[Summary, Chart | None]:
    """The project's summary and chart. Raises PermissionDenied unless the actor may record for it."""
    require_record(actor, activity)
    summary = project_summary(activity)
    return summary, chart_for(summary)


def item_scores_csv(*, actor: User, activity: Activity) -> str:
    """Every measure's anonymous item scores, one row per code and timepoint. Coordinators only
    (PermissionDenied otherwise). Codes are letters and digits, so no cell can start a formula."""
    require_export(actor)
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["participant_code", "timepoint", "measured_on", *ITEM_FIELDS, "raw_score", "metric_score"])
    for participant, measure in _measures(activity):
        writer.writerow(
            [
                participant.code,
                measure.timepoint,
                measure.measured_on.isoformat(),
                *measure.items,
                measure.raw_score,
                metric_score(measure.raw_score),
            ]
        )
    return output.getvalue()
