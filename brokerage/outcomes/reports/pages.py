"""Impact reports for one financial year (April to March; measures and stories are dated in
Europe/London) over a scope (scopes.py):

- participants: people (participant codes) with any measure dated in the year;
- pairs: each participant's baseline paired with their latest follow-up dated in the year
  (measures/pairing.py), so a pair belongs to the year its follow-up was measured in, whenever the
  baseline was; codes are paired within their own project only;
- projects and localities: those with a measure in the year;
- bids and money: the collectives' figures for the year (collectives/reports/pages.py, funding_totals) for a
  partner, a locality or all of them; bids are made by partners, so a project has none of its own;
- stories told in the year: published ones, and with `internal` those shared internally.

Below 5 people no figure is shown, counts of people included, nor a figure that would let a
hidden one be worked out by subtraction from another report (measures/suppression.py).

Also what the coordinators' report index offers: every locality, the partners that run
projects, and the projects that have wellbeing measures or stories."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from ...accounts.models import User
from ...collectives.reports.pages import FundingTotals, funding_totals
from ...collectives.reports.pages import report_years as funding_years
from ...core.data.models import Locality
from ...core.values.timeutils import financial_year_bounds, financial_year_label, financial_year_start
from ...directory.listings.models import Activity
from ...extensions import db
from ...partners.models import Partner
from ..measures.models import OutcomeParticipant, WellbeingMeasure
from ..measures.pairing import BASELINE, Measure, Summary, summarise, year_pairs
from ..measures.results import Chart, chart_for
from ..measures.rules import metric_score
from ..measures.suppression import Cell, hidden_cells
from ..stories.models import Story
from ..stories.services import shown_stories
from .access import require_report
from .scopes import Scope


@dataclass(frozen=True)
class ImpactReport:
    scope: Scope
    start_year: int
    summary: Summary
    chart: Chart | None
    projects: int
    localities: int
    funding: FundingTotals | None
    stories: list[Story]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.start_year)


@dataclass(frozen=True)
class YearMeasures:
    measures: list[Measure]
    projects: int
    localities: int


def year_measures(where, start_year: int) -> YearMeasures:
    """The scope's measures that count in the year: follow-ups dated in it, and baselines up to
    its end. Codes are keyed by participant, so equal codes in two projects never pair."""
    first, last = financial_year_bounds(start_year)
    rows = db.session.execute(
        select(
            OutcomeParticipant.id,
            OutcomeParticipant.activity_id,
            Activity.locality_id,
            WellbeingMeasure.timepoint,
            WellbeingMeasure.measured_on,
            WellbeingMeasure.raw_score,
        )
        .join(WellbeingMeasure, WellbeingMeasure.participant_id == OutcomeParticipant.id)
        .join(Activity, Activity.id == OutcomeParticipant.activity_id)
        .where(
            where,
            WellbeingMeasure.measured_on <= last,
            or_(WellbeingMeasure.timepoint == BASELINE, WellbeingMeasure.measured_on >= first),
        )
    ).all()
    in_year = [row for row in rows if row.measured_on >= first]
    return YearMeasures(
        measures=[
            Measure(
                code=str(row.id),
                timepoint=row.timepoint,
                measured_on=row.measured_on,
                metric=metric_score(row.raw_score),
            )
            for row in rows
        ],
        projects=len({row.activity_id for row in in_year}),
        localities=len({row.locality_id for row in in_year if row.locality_id is not None}),
    )


def report_cell(scope: Scope, start_year: int) -> Cell:
    return scope.kind, scope.id, start_year


def build_report(scope: Scope, start_year: int, *, internal: bool, story_limit: int | None = None) -> ImpactReport:
    """The report's figures, with no permission check (callers check, or show only public content)."""
    found = year_measures(scope.where, start_year)
    first, last = financial_year_bounds(start_year)
    summary = summarise(*year_pairs(found.measures, first, last), **hidden_cells().of(report_cell(scope, start_year)))
    funding = (
        funding_totals(start_year=start_year, **scope.funding_filter) if scope.funding_filter is not None else None
    )
    return ImpactReport(
        scope=scope,
        start_year=start_year,
        summary=summary,
        chart=chart_for(summary),
        projects=found.projects,
        localities=found.localities,
        funding=funding,
        stories=shown_stories(where=scope.where, internal=internal, since=first, until=last, limit=story_limit),
    )


def impact_report(*, actor: User, scope: Scope, start_year: int) -> ImpactReport:
    """A report with the stories shared internally as well as the published ones. Raises
    PermissionDenied unless the actor may see the scope's report (scopes.can_see_report)."""
    require_report(actor, scope)
    return build_report(scope, start_year, internal=True)


def report_years(*, today: date) -> list[int]:
    """Financial years to offer, newest first: every year since the first measure, every year
    with a fund, this one and the next."""
    years = set(funding_years(today=today))
    first_measure = db.session.scalar(select(func.min(WellbeingMeasure.measured_on)))
    if first_measure is not None:
        years |= set(range(financial_year_start(first_measure), financial_year_start(today) + 1))
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class ReportChoices:
    localities: list[Locality]
    partners: list[Partner]
    projects: list[Activity]


def report_choices() -> ReportChoices:
    with_outcomes = or_(
        Activity.id.in_(select(OutcomeParticipant.activity_id)), Activity.id.in_(select(Story.activity_id))
    )
    return ReportChoices(
        localities=list(db.session.scalars(select(Locality).order_by(Locality.name))),
        partners=list(
            db.session.scalars(
                select(Partner).where(Partner.id.in_(select(Activity.partner_id))).order_by(Partner.name)
            )
        ),
        projects=list(db.session.scalars(select(Activity).where(with_outcomes).order_by(Activity.title))),
    )
