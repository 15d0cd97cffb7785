"""Impact reports: pairing within each scope, suppression below 5 people (counts included; the
suppression that keeps them from being subtracted out is in test_small_numbers.py),
financial years from 1 April to 31 March, stories by consent, money from the collectives,
the plain-words headline and the CSV."""
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.collectives.reports.pages import funding_totals
from brokerage.core.data.models import Locality
from brokerage.errors import PermissionDenied
from brokerage.extensions import db
from brokerage.outcomes.reports import pages as reports
from brokerage.outcomes.stories import services as stories
from brokerage.outcomes.reports.headline import headline_sentences, year_headline
from brokerage.outcomes.measures.pairing import NOT_SHOWN, shown_count
from brokerage.outcomes.reports.export import report_csv
from brokerage.outcomes.reports.scopes import ALL, scope_for
from brokerage.outcomes.measures.rules import metric_score
from brokerage.seeding import seed_demo

from ..conftest import NOW

YEAR = 2025  # 1 April 2025 to 31 March 2026: the fixtures' follow-ups fall in it unless moved


def _report(scope, year=YEAR):
    """The report as a coordinator sees it (the figures need no permission: build_report)."""
    return reports.build_report(scope, year, internal=True)


@pytest.fixture
def two_localities(outcomes):
    """The Barnsley walking football (Reds) and a Halifax choir run by another partner."""
    football = outcomes.project
    other = outcomes.partner(name="Halifax Arts Café", locality="calderdale")
    choir = outcomes.activity(partner=other, title="Halifax choir", postcode="HX1 1QG")
    return football, choir


def test_counts_of_people_below_five_or_hidden_with_them_are_not_shown():
    assert [shown_count(n) for n in (0, 1, 4, 5, 1234)] == ["none", NOT_SHOWN, NOT_SHOWN, "5", "1,234"]
    assert [shown_count(n, hidden=True) for n in (0, 6)] == ["none", NOT_SHOWN]


def test_four_pairs_are_suppressed_and_five_are_reported(outcomes):
    outcomes.pairs(4, on=date(2026, 3, 1))
    four = _report(scope_for("project", outcomes.project.id)).summary
    assert not four.reportable and four.mean_change is None
    assert (four.participants_shown, four.pairs_shown) == (NOT_SHOWN, NOT_SHOWN)
    outcomes.pairs(1, on=date(2026, 3, 1))
    five = _report(scope_for("project", outcomes.project.id)).summary
    assert five.reportable and (five.participants_shown, five.pairs_shown) == ("5", "5")
    assert five.mean_change == metric_score(28) - metric_score(21)


def test_equal_codes_in_two_projects_never_pair_across_them(outcomes, two_localities):
    football, choir = two_localities
    baseline_only = outcomes.participant(football)
    outcomes.measure(baseline_only)
    follow_up_only = outcomes.participant(choir)
    follow_up_only.code = baseline_only.code
    outcomes.measure(follow_up_only, timepoint="end", on=date(2026, 3, 1))
    summary = _report(ALL).summary
    assert summary.participants == 2 and summary.pairs == 0


def test_partner_and_locality_reports_pair_only_their_own_projects(outcomes, two_localities):
    football, choir = two_localities
    outcomes.pairs(5, project=football, on=date(2026, 3, 1))
    outcomes.pairs(3, project=choir, on=date(2026, 3, 1))
    barnsley = db.session.scalar(select(Locality).where(Locality.slug == "barnsley"))
    calderdale = db.session.scalar(select(Locality).where(Locality.slug == "calderdale"))
    assert _report(scope_for("partner", football.partner_id)).summary.pairs == 5
    assert _report(scope_for("partner", choir.partner_id)).summary.pairs == 3
    assert _report(scope_for("locality", barnsley.id)).summary.pairs == 5
    assert _report(scope_for("locality", calderdale.id)).summary.pairs == 3
    everything = _report(ALL)
    assert (everything.summary.pairs, everything.projects, everything.localities) == (8, 2, 2)


@pytest.mark.parametrize("follow_up_on, year", [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026)])
def test_a_pair_belongs_to_the_financial_year_of_its_follow_up(outcomes, follow_up_on, year):
    outcomes.pairs(5, on=follow_up_on)
    scope = scope_for("project", outcomes.project.id)
    assert _report(scope, year).summary.pairs == 5
    assert _report(scope, year + (1 if year == 2025 else -1)).summary.pairs == 0


def test_participants_count_in_each_year_they_were_measured_in(outcomes):
    outcomes.pairs(5, on=date(2026, 4, 1))  # baselines on 12 January 2026, in 2025-26
    scope = scope_for("project", outcomes.project.id)
    assert _report(scope, 2025).summary.participants == 5 and _report(scope, 2025).summary.pairs == 0
    assert _report(scope, 2026).summary.participants == 5 and _report(scope, 2026).summary.pairs == 5
    assert _report(scope, 2024).summary.participants == 0


def test_reports_hold_stories_told_in_the_year_shared_internally_or_published(outcomes):
    outcomes.story(title="Published", consent="public", told_on=date(2026, 3, 31))
    outcomes.story(title="Internal", consent="internal", told_on=date(2026, 3, 30))
    outcomes.story(title="Waiting", consent="not_yet", told_on=date(2026, 3, 30))
    outcomes.story(title="Next year", consent="public", told_on=date(2026, 4, 1))
    withdrawn = outcomes.story(title="Withdrawn", consent="public", told_on=date(2026, 3, 1))
    stories.withdraw_story(actor=outcomes.coordinator, story=withdrawn, now=NOW)
    titles = [story.title for story in _report(scope_for("project", outcomes.project.id)).stories]
    assert titles == ["Published", "Internal"]
    assert [story.title for story in year_headline(YEAR).stories] == ["Published"]


def test_only_coordinators_see_locality_and_all_reports_and_partner_people_their_own(outcomes, two_localities):
    football, choir = two_localities
    for scope in (scope_for("project", choir.id), ALL):
        assert reports.impact_report(actor=outcomes.coordinator, scope=scope, start_year=YEAR)
    contact = outcomes.contact_for(football.partner)
    barnsley = db.session.scalar(select(Locality).where(Locality.slug == "barnsley"))
    assert reports.impact_report(actor=contact, scope=scope_for("partner", football.partner_id), start_year=YEAR)
    assert reports.impact_report(actor=contact, scope=scope_for("project", football.id), start_year=YEAR)
    for scope in (scope_for("partner", choir.partner_id), scope_for("project", choir.id),
                  scope_for("locality", barnsley.id), ALL):
        with pytest.raises(PermissionDenied):
            reports.impact_report(actor=contact, scope=scope, start_year=YEAR)
    with pytest.raises(PermissionDenied):
        reports.impact_report(actor=outcomes.user(Role.CHAMPION), scope=scope_for("project", football.id),
                              start_year=YEAR)


def test_the_headline_says_in_plain_words_what_the_year_achieved(outcomes):
    outcomes.pairs(4, on=date(2026, 3, 1))
    outcomes.pairs(1, on=date(2026, 3, 1), follow_up=(3, 3, 3, 3, 3, 3, 3))
    sentences = headline_sentences(year_headline(YEAR))
    assert sentences[0] == "In 2025-26, 5 people took part in one project across one locality."
    assert sentences[1].startswith("Of the 5 people who answered the wellbeing questions twice, 80% felt better, "
                                   "20% about the same and 0% worse; on average their wellbeing score rose by")
    assert sentences[2] == "The locality collectives have made no match-funding awards this year yet."


def test_the_headline_never_gives_a_figure_from_fewer_than_five_people(outcomes):
    outcomes.pairs(4, on=date(2026, 3, 1))
    sentences = " ".join(headline_sentences(year_headline(YEAR)))
    assert "people took part in one project across one locality; we do not give how many" in sentences
    assert "Too few people" in sentences
    assert "4" not in sentences and "%" not in sentences


def test_the_csv_suppresses_exactly_as_the_page_does(outcomes):
    outcomes.pairs(3, on=date(2026, 3, 1))
    outcomes.story(title="=HYPERLINK(1)", consent="internal", told_on=date(2026, 3, 1))
    rows = report_csv(_report(scope_for("project", outcomes.project.id))).lstrip("\ufeff").splitlines()
    assert f"Participants,{NOT_SHOWN}" in rows and f"Pairs (baseline and follow-up),{NOT_SHOWN}" in rows
    assert f"Mean change,{NOT_SHOWN}" in rows and f"Improved (%),{NOT_SHOWN}" in rows
    assert "Bids and money,Bids are made by partners: see the partner's report" in rows
    assert rows[-1].startswith("'=HYPERLINK(1),Walking football,2026-03-01,Jo Reporter,Share internally only")


def test_the_csv_gives_figures_from_five_pairs(outcomes):
    outcomes.pairs(5, on=date(2026, 3, 1))
    rows = report_csv(_report(ALL)).lstrip("\ufeff").splitlines()
    assert "Participants,5" in rows and "Improved (%),100" in rows and "Awards,0" in rows


def test_money_comes_from_the_collectives_awards_for_the_scope_and_year(app, fixed_now):
    fixed_now(NOW)
    with app.app_context():
        seed_demo()  # one award, in Wakefield, to Castleford Digital Makers CIC, in June 2026
        wakefield = db.session.scalar(select(Locality).where(Locality.slug == "wakefield"))
        assert funding_totals(start_year=2026, locality_id=wakefield.id).awards == 1
        assert funding_totals(start_year=2026).awarded_pence == funding_totals(
            start_year=2026, locality_id=wakefield.id).awarded_pence > 0
        assert funding_totals(start_year=2025, locality_id=wakefield.id).awards == 0
        report = reports.build_report(scope_for("locality", wakefield.id), 2026, internal=False)
        assert report.funding.awards == 1 and report.funding.median_days is not None
        assert "made one award worth £" in " ".join(headline_sentences(year_headline(2026)))
