"""Secondary suppression in the reports, built to be differenced: a reader who subtracts the
shown parts from a shown total, counts and means alike, never recovers a hidden group's count or
mean. Every report (project, partner, locality, every locality, the public headline, the
all-time results) and its CSV are read as a reader sees them."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from brokerage.core.data.models import Locality
from brokerage.extensions import db
from brokerage.outcomes.reports import pages as reports
from brokerage.outcomes.measures import results
from brokerage.outcomes.reports.headline import headline_sentences, year_headline
from brokerage.outcomes.measures.pairing import NOT_SHOWN
from brokerage.outcomes.reports.export import report_csv
from brokerage.outcomes.reports.scopes import ALL, scope_for
from brokerage.outcomes.measures.rules import metric_score

from ...conftest import page_text

YEAR = 2025  # the fixtures' follow-ups on 1 March 2026 fall in 2025-26
UP, DOWN = (4, 4, 4, 4, 4, 4, 4), (2, 2, 2, 2, 2, 2, 2)  # from (3, 3, 3, 3, 3, 3, 3): raw 21 to 28 or 14
BETTER, WORSE = metric_score(28) - metric_score(21), metric_score(14) - metric_score(21)  # +5.78, -3.93


@dataclass(frozen=True)
class Seen:
    """A count and mean change as a reader sees them (None: not shown)."""
    pairs: int | None
    mean: Decimal | None


def seen(summary) -> Seen:
    shown = summary.pairs_shown
    pairs = None if shown == NOT_SHOWN else 0 if shown == "none" else int(shown.replace(",", ""))
    return Seen(pairs, summary.mean_change if summary.reportable else None)


def assert_cannot_be_differenced(total: Seen, parts: dict[str, Seen], truth: dict[str, Seen]):
    """The total less the shown parts is spread over at least two hidden parts holding at least
    5 people, and the mean it gives is no hidden part's own mean."""
    hidden = [name for name, part in parts.items() if part.pairs is None and truth[name].pairs]
    if total.pairs is None or not hidden:
        return
    rest = total.pairs - sum(part.pairs for part in parts.values() if part.pairs is not None)
    assert len(hidden) >= 2 and rest >= 5, (hidden, rest)
    assert all(rest != truth[name].pairs for name in hidden)
    if total.mean is not None and all(part.mean is not None for part in parts.values() if part.pairs):
        shown_sum = sum(part.mean * part.pairs for part in parts.values() if part.pairs)
        rest_mean = (total.mean * total.pairs - shown_sum) / rest
        assert all(abs(rest_mean - truth[name].mean) > Decimal("0.05") for name in hidden), rest_mean


def _locality(slug: str):
    return db.session.scalar(select(Locality).where(Locality.slug == slug))


def _report(scope, actor=None, year=YEAR):
    if actor is None:
        return reports.build_report(scope, year, internal=True)
    return reports.impact_report(actor=actor, scope=scope, start_year=year)


@pytest.fixture
def six_three_none_none(outcomes):
    """Four localities with 6, 3, 0 and 0 pairs: Barnsley's feel better, Calderdale's worse; a
    Kirklees project has two participants without a follow-up yet."""
    barnsley = outcomes.project
    calderdale = outcomes.activity(partner=outcomes.partner(name="Halifax Arts Café", locality="calderdale"),
                                   title="Halifax choir", postcode="HX1 1QG")
    kirklees = outcomes.activity(partner=outcomes.partner(name="Summit Climbing", locality="kirklees"),
                                 title="Climbing", postcode="HD1 6QF")
    outcomes.pairs(6, project=barnsley, follow_up=UP, on=date(2026, 3, 1))
    outcomes.pairs(3, project=calderdale, follow_up=DOWN, on=date(2026, 3, 1))
    for _ in range(2):
        outcomes.measure(outcomes.participant(kirklees))
    return {"barnsley": barnsley, "calderdale": calderdale, "kirklees": kirklees}


def test_every_locality_less_the_shown_localities_never_gives_a_hidden_one(outcomes, six_three_none_none):
    """The issue's case: every locality shows 9 pairs; Barnsley's 6 would give Calderdale's 3 and
    their mean change. Barnsley is hidden with it; the zeros stay shown."""
    slugs = ("barnsley", "calderdale", "kirklees", "wakefield")
    parts = {slug: seen(_report(scope_for("locality", _locality(slug).id)).summary) for slug in slugs}
    total = seen(_report(ALL).summary)
    assert total.pairs == 9 and total.mean is not None
    assert parts["calderdale"].pairs is None and parts["barnsley"].pairs is None
    assert parts["kirklees"].pairs == parts["wakefield"].pairs == 0
    truth = {"barnsley": Seen(6, BETTER), "calderdale": Seen(3, WORSE),
             "kirklees": Seen(0, None), "wakefield": Seen(0, None)}
    assert_cannot_be_differenced(total, parts, truth)


def test_partners_and_projects_of_the_same_year_cannot_be_differenced_either(outcomes, six_three_none_none):
    projects = six_three_none_none
    truth = {"barnsley": Seen(6, BETTER), "calderdale": Seen(3, WORSE), "kirklees": Seen(0, None)}
    by_partner = {name: seen(_report(scope_for("partner", project.partner_id)).summary)
                  for name, project in projects.items()}
    by_project = {name: seen(_report(scope_for("project", project.id)).summary) for name, project in projects.items()}
    total = seen(_report(ALL).summary)
    assert_cannot_be_differenced(total, by_partner, truth)
    assert_cannot_be_differenced(total, by_project, truth)
    assert by_partner["barnsley"].pairs is None and by_project["barnsley"].pairs is None


def test_a_partners_total_less_one_of_its_projects_never_gives_the_other(outcomes):
    """6 and 3 with a total of 9, read by the partner's own contact, who may open the partner's
    report and each of its projects'."""
    football = outcomes.project
    sewing = outcomes.activity(title="Sewing circle")
    outcomes.pairs(6, project=football, follow_up=UP, on=date(2026, 3, 1))
    outcomes.pairs(3, project=sewing, follow_up=DOWN, on=date(2026, 3, 1))
    contact = outcomes.contact_for(football.partner)
    total = seen(_report(scope_for("partner", football.partner_id), contact).summary)
    parts = {"football": seen(_report(scope_for("project", football.id), contact).summary),
             "sewing": seen(_report(scope_for("project", sewing.id), contact).summary)}
    assert total.pairs == 9 and parts == {"football": Seen(None, None), "sewing": Seen(None, None)}
    assert_cannot_be_differenced(total, parts, {"football": Seen(6, BETTER),
                                                "sewing": Seen(3, WORSE)})


def test_a_projects_results_for_all_time_less_one_year_never_give_another_year(outcomes):
    """6 pairs in 2025-26 and 3 in 2026-27: the all-time results (9) less 2025-26's report would
    give 2026-27's 3 and their mean, so the all-time figures are hidden, not a second year's report."""
    outcomes.pairs(6, follow_up=UP, on=date(2026, 3, 1))
    outcomes.pairs(3, follow_up=DOWN, on=date(2026, 5, 1))
    scope = scope_for("project", outcomes.project.id)
    years = {year: seen(_report(scope, year=year).summary) for year in (2025, 2026)}
    all_time = seen(results.project_results(actor=outcomes.coordinator, activity=outcomes.project)[0])
    assert years == {2025: Seen(6, BETTER), 2026: Seen(None, None)}
    assert all_time == Seen(None, None)
    assert seen(year_headline(2025).summary) == Seen(6, BETTER)


def test_an_online_project_shown_only_in_the_total_is_protected_like_a_locality(outcomes):
    """Online projects count only in every locality's report: the total less the localities would
    give the online group, so a locality is hidden with it."""
    online = outcomes.activity(title="Online choir")
    online.locality_id = None  # as for a venue outside the four localities' postcode districts
    outcomes.pairs(6, follow_up=UP, on=date(2026, 3, 1))
    outcomes.pairs(3, project=online, follow_up=DOWN, on=date(2026, 3, 1))
    assert seen(_report(ALL).summary).pairs == 9
    assert seen(_report(scope_for("locality", _locality("barnsley").id)).summary) == Seen(None, None)


def test_the_headline_total_stays_shown_and_hidden_reports_say_so_in_pages_and_csv(client, coordinator, outcomes,
                                                                                  six_three_none_none):
    sentences = " ".join(headline_sentences(year_headline(YEAR)))
    assert "Of the 9 people who answered the wellbeing questions twice" in sentences
    barnsley = _locality("barnsley").id
    db.session.commit()
    page = page_text(client.get(f"/impact/reports/locality/{barnsley}?year={YEAR}"))
    assert f"Pairs (baseline and follow-up) {NOT_SHOWN}" in page and "Mean change Not shown (small numbers)" in page
    assert "<svg" not in page
    rows = client.get(f"/impact/reports/locality/{barnsley}.csv?year={YEAR}").get_data(as_text=True).splitlines()
    assert f"Pairs (baseline and follow-up),{NOT_SHOWN}" in rows and f"Mean change,{NOT_SHOWN}" in rows
    assert report_csv(_report(scope_for("locality", barnsley))).splitlines()[1:] == rows[1:]
