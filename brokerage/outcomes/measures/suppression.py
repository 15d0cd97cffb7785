"""Which counts of people the wellbeing pages hide, decided for every page at once: a count hidden
on one page must not be worked out from the others (small_numbers/rules.py).

Every project's participants and pairs are counted for each financial year (as reports/pages.py counts
them) and for all time (as results.py does). A partner's, a locality's and every locality's count
for a year is the sum of their projects' (codes belong to one project). The relations a reader can
subtract along are:
- every locality = the localities + online projects (shown only in the total);
- every locality = the partners + peer-led groups' projects;
- a locality, a partner, online projects, groups' projects = their projects;
- a project for all time = the project in each year (a participant measured in two years counts in
  both, so this is a bound, not an equality; the rule is applied to it all the same). Here the
  all-time figures are hidden as soon as a year's are: hiding another year's instead would spread
  to that year's partner, locality and public reports, and change them after the fact.
Parts shown nowhere on their own (online projects, groups' projects) are cells too: they can be
worked out as the total minus the others, so they are protected like any other."""

from collections import defaultdict
from dataclasses import dataclass
from typing import TypedDict

from sqlalchemy import select

from ...core.values.timeutils import financial_year_bounds, financial_year_start
from ...directory.listings.models import Activity
from ...extensions import db
from ..small_numbers.rules import Relation, suppress
from .models import OutcomeParticipant, WellbeingMeasure
from .pairing import Measure, pair_measures, year_pairs
from .rules import metric_score

Cell = tuple[str, int | None, int | None]  # (kind, id, financial year's start or None for all time)


class HiddenFlags(TypedDict):
    """pairing.summarise()'s keyword arguments for one cell."""

    participants_hidden: bool
    pairs_hidden: bool


@dataclass(frozen=True)
class Hidden:
    participants: frozenset[Cell]
    pairs: frozenset[Cell]

    def of(self, cell: Cell) -> HiddenFlags:
        """summarise()'s keyword arguments for this cell."""
        return {"participants_hidden": cell in self.participants, "pairs_hidden": cell in self.pairs}


def project_cell(activity_id: int) -> Cell:
    """A project's results for all time."""
    return "project", activity_id, None


@dataclass(frozen=True)
class _Project:
    partner_id: int | None
    locality_id: int | None
    codes: int
    measures: list[Measure]


def _projects() -> dict[int, _Project]:
    """Every project with participants: where it counts, its codes and its measures (one statement)."""
    rows = db.session.execute(
        select(
            OutcomeParticipant.id,
            OutcomeParticipant.activity_id,
            Activity.partner_id,
            Activity.locality_id,
            WellbeingMeasure.timepoint,
            WellbeingMeasure.measured_on,
            WellbeingMeasure.raw_score,
        )
        .join(Activity, Activity.id == OutcomeParticipant.activity_id)
        .outerjoin(WellbeingMeasure, WellbeingMeasure.participant_id == OutcomeParticipant.id)
        .order_by(OutcomeParticipant.activity_id, OutcomeParticipant.id)
    ).all()
    codes, measures, places = defaultdict(set), defaultdict(list), {}
    for row in rows:
        places[row.activity_id] = (row.partner_id, row.locality_id)
        codes[row.activity_id].add(row.id)
        if row.timepoint is not None:
            measures[row.activity_id].append(
                Measure(
                    code=str(row.id),
                    timepoint=row.timepoint,
                    measured_on=row.measured_on,
                    metric=metric_score(row.raw_score),
                )
            )
    return {
        activity_id: _Project(*places[activity_id], len(codes[activity_id]), measures[activity_id])
        for activity_id in places
    }


def _counts(projects: dict[int, _Project], years: list[int]) -> tuple[dict[Cell, int], dict[Cell, int]]:
    """(participants, pairs) of every project in every year and for all time."""
    participants: dict[Cell, int] = {}
    pairs: dict[Cell, int] = {}
    for activity_id, project in projects.items():
        for year in years:
            counted, year_paired = year_pairs(project.measures, *financial_year_bounds(year))
            participants["project", activity_id, year] = counted
            pairs["project", activity_id, year] = len(year_paired)
        participants[project_cell(activity_id)] = project.codes
        pairs[project_cell(activity_id)] = len(pair_measures(project.measures))
    return participants, pairs


def _relations(projects: dict[int, _Project], years: list[int]) -> list[Relation]:
    relations = []
    for year in years:
        by_place: defaultdict[Cell, list[Cell]] = defaultdict(list)
        by_provider: defaultdict[Cell, list[Cell]] = defaultdict(list)
        for activity_id, project in projects.items():
            cell = ("project", activity_id, year)
            by_place[("locality", project.locality_id, year) if project.locality_id else ("online", None, year)].append(
                cell
            )
            by_provider[("partner", project.partner_id, year) if project.partner_id else ("groups", None, year)].append(
                cell
            )
        for grouping in (by_place, by_provider):
            relations += [Relation(total, tuple(parts)) for total, parts in grouping.items()]
            relations.append(Relation(("all", None, year), tuple(grouping)))
    relations += [
        Relation(project_cell(activity_id), tuple(("project", activity_id, year) for year in years), total_first=True)
        for activity_id in projects
    ]
    return relations


def _with_totals(counts: dict[Cell, int], relations: list[Relation]) -> dict[Cell, int]:
    """The projects' counts and every total of them (totals listed after their parts)."""
    counts = dict(counts)
    for relation in relations:
        if relation.total not in counts:
            counts[relation.total] = sum(counts[part] for part in relation.parts)
    return counts


def hidden_cells() -> Hidden:
    """The cells whose participants or pairs no page may show, over every project and year."""
    projects = _projects()
    dates = [measure.measured_on for project in projects.values() for measure in project.measures]
    years = list(range(financial_year_start(min(dates)), financial_year_start(max(dates)) + 1)) if dates else []
    participants, pairs = _counts(projects, years)
    relations = _relations(projects, years)
    return Hidden(
        participants=suppress(_with_totals(participants, relations), relations),
        pairs=suppress(_with_totals(pairs, relations), relations),
    )
