"""The search service: text with stemming and synonyms, distance, filters, freshness, paging."""
import re
from datetime import date, time

import pytest
from sqlalchemy import text

from brokerage.directory.listings import services
from brokerage.directory.listings.schedules import describe_next
from brokerage.directory.search import pages as search_module
from brokerage.directory.search.pages import PER_PAGE, SearchQuery, search_activities
from brokerage.directory.listings.services import Venue
from brokerage.errors import RuleViolation
from brokerage.extensions import db

from ..conftest import NOW, weekly


def _titles(query: SearchQuery) -> list[str]:
    return [result.activity.title for result in search_activities(query=query, now=NOW).results]


@pytest.fixture
def listed(directory):
    barnsley = directory.partner()
    halifax = directory.partner("Halifax Arts Café", "calderdale")
    huddersfield = directory.partner("Summit Climbing Wall", "kirklees")
    directory.activity(partner=barnsley, title="Walking football", categories=("walking-football",),
                       suitable_for=("beginners",))
    directory.activity(partner=halifax, title="Halifax Community Choir", categories=("choir",),
                       venue=Venue(name="Arts Café", postcode="HX1 1QG", accessibility=("step_free",)),
                       description="Sing together, no auditions.", cost_kind="pay_what_you_can",
                       schedule=weekly(start=date(2026, 6, 16), at=time(10, 30), until=time(12)))
    directory.activity(partner=huddersfield, title="Climbing for wellbeing", categories=("climbing",),
                       postcode="HD1 6QF", join_methods=("booking",), min_age=18,
                       description="Indoor bouldering with an instructor.")
    return directory


def test_singing_finds_a_choir_and_football_finds_walking_football(listed):
    assert _titles(SearchQuery(q="singing")) == ["Halifax Community Choir"]
    assert _titles(SearchQuery(q="football")) == ["Walking football"]
    assert _titles(SearchQuery(q="footy")) == ["Walking football"]


def test_every_word_must_match(listed):
    assert _titles(SearchQuery(q="football choir")) == []


def test_text_matches_category_parents_and_providers(listed):
    assert _titles(SearchQuery(q="sport")) == ["Walking football"]
    assert _titles(SearchQuery(q="summit")) == ["Climbing for wellbeing"]


def test_postcode_search_is_sorted_by_distance_and_shows_it(listed):
    page = search_activities(query=SearchQuery(postcode="HD1 2QA", distance=30), now=NOW)
    assert [result.activity.title for result in page.results] == [
        "Climbing for wellbeing", "Halifax Community Choir", "Walking football"]
    distances = [result.distance_miles for result in page.results]
    assert distances == sorted(distances) and distances[0] < 2
    assert page.origin.precision == "district"


def test_distance_limits_the_results(listed):
    assert _titles(SearchQuery(postcode="HD1", distance=5)) == ["Climbing for wellbeing"]


def test_category_includes_its_descendants(listed):
    assert _titles(SearchQuery(category=("music",))) == ["Halifax Community Choir"]
    assert _titles(SearchQuery(category=("outdoor", "sport"))) == ["Walking football", "Climbing for wellbeing"]


def test_filters_by_locality_day_time_cost_suitability_join_and_age(listed):
    assert _titles(SearchQuery(locality="calderdale")) == ["Halifax Community Choir"]
    assert _titles(SearchQuery(day=(1,))) == ["Halifax Community Choir"]
    assert _titles(SearchQuery(time=("evening",))) == ["Walking football", "Climbing for wellbeing"]
    assert _titles(SearchQuery(free=True)) == ["Walking football", "Climbing for wellbeing"]
    assert _titles(SearchQuery(suitable=("beginners",))) == ["Walking football"]
    assert _titles(SearchQuery(join=("booking",))) == ["Climbing for wellbeing"]
    assert "Climbing for wellbeing" not in _titles(SearchQuery(age=16))
    assert _titles(SearchQuery(access=("step_free",))) == ["Halifax Community Choir"]
    assert _titles(SearchQuery(this_week=True, day=(1,))) == ["Halifax Community Choir"]


def test_each_result_shows_its_next_session_in_london_time(listed):
    page = search_activities(query=SearchQuery(q="choir"), now=NOW)
    assert describe_next(page.results[0].next_session) == "Next: Tue 16 Jun, 10:30am–12pm"


def test_paused_and_long_unchecked_activities_are_not_found(listed):
    activity = listed.activity(title="Pottery", categories=("pottery",))
    services.set_status(actor=listed.coordinator, activity=activity, status="paused", now=NOW)
    assert _titles(SearchQuery(q="pottery")) == []
    services.set_status(actor=listed.coordinator, activity=activity, status="active", now=NOW)
    activity.last_checked_on = date(2025, 6, 15)
    assert _titles(SearchQuery(q="pottery")) == []
    activity.last_checked_on = date(2025, 6, 16)
    assert _titles(SearchQuery(q="pottery")) == ["Pottery"]


def test_nothing_found_suggests_widening_the_distance_and_removing_filters(listed):
    page = search_activities(query=SearchQuery(q="choir", postcode="S70", distance=3, free=True), now=NOW)
    assert page.total == 0
    labels = [suggestion.label for suggestion in page.suggestions]
    assert labels[0] == "Look up to 10 miles away"
    assert "Include activities that cost something" in labels


@pytest.mark.parametrize("query, field", [
    (SearchQuery(postcode="ZZ"), "postcode"),
    (SearchQuery(postcode="AB10 1XG"), "postcode"),
    (SearchQuery(postcode="HD1", distance=500), "distance"),
    (SearchQuery(postcode="HD1", distance=float("nan")), "distance"),
    (SearchQuery(q="x" * 500), "q"),
    (SearchQuery(page=0), "page"),
    (SearchQuery(page=10_000), "page"),
])
def test_bad_input_is_refused_on_its_field(listed, query, field):
    with pytest.raises(RuleViolation) as refused:
        search_activities(query=query, now=NOW)
    assert refused.value.field == field


def test_results_come_twenty_a_page_with_the_total(directory):
    partner = directory.partner()
    for number in range(PER_PAGE + 3):
        directory.activity(partner=partner, title=f"Walk {number}", categories=("walking",))
    first = search_activities(query=SearchQuery(q="walk"), now=NOW)
    second = search_activities(query=SearchQuery(q="walk", page=2), now=NOW)
    beyond = search_activities(query=SearchQuery(q="walk", page=3), now=NOW)
    assert (len(first.results), len(second.results), first.total, first.pages) == (PER_PAGE, 3, 23, 2)
    assert (beyond.results, beyond.total) == ([], 23)


def test_a_search_takes_at_most_three_statements(listed, count_queries):
    full = SearchQuery(q="art climbing", postcode="HD1 2QA", distance=20, category=("outdoor",), day=(0, 1, 2),
                       time=("evening",), suitable=("beginners",), access=("step_free",), join=("booking",))
    for query in (SearchQuery(postcode="HD1 2QA", distance=30), full, SearchQuery(q="walk", page=2)):
        db.session.commit()  # each search starts its own transaction, as a request does
        with count_queries() as counter:
            page = search_activities(query=query, now=NOW)
            for result in page.results:
                _ = (result.provider_name, result.locality_name, result.activity.title, result.next_session)
        assert counter.count <= 3, counter.statements


def _plan(query: SearchQuery) -> str:
    shape, values = search_module._prepared(query, search_module._origin(query), NOW)
    compiled = search_module._shaped_statement(shape).params(values).compile(db.engine, compile_kwargs={"literal_binds": True})
    return " ".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


def test_a_postcode_search_reads_the_place_index_and_text_the_term_index_on_sqlite(listed):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL plan is checked by benchmarks/directory_search.py")
    near = _plan(SearchQuery(postcode="HD1 2QA", distance=5))
    assert "USING COVERING INDEX ix_activity_search_place (search_band=? AND longitude>? AND longitude<?)" in near
    words = _plan(SearchQuery(q="art", postcode="HD1 2QA", distance=5))
    assert "USING COVERING INDEX ix_activity_search_term_place (term=? AND search_band=?" in words
    for plan in (near, words):
        assert re.search(r"SCAN activity\b(?!_)", plan) is None, plan


@pytest.fixture
def football(directory):
    """A football league that runs walking netball, a club whose description mentions football,
    and a football group: the three places the word can be found."""
    league = directory.partner("Good Mood Football League", "kirklees")
    club = directory.partner("Fartown Sports Club", "kirklees")
    directory.activity(partner=league, title="Walking netball", categories=("walking-netball",), postcode="HD1 2QA",
                       description="Netball at walking pace.")
    directory.activity(partner=club, title="Badminton social", categories=("badminton",), postcode="HD1 6QF",
                       description="Doubles games; the football pitch is next door.")
    directory.activity(partner=club, title="Five-a-side", categories=("football",), postcode="HD7 5AA",
                       description="Friendly games with a coach.")
    return directory


def test_a_title_or_category_match_outranks_the_description_which_outranks_the_provider(football):
    expected = ["Five-a-side", "Badminton social", "Walking netball"]
    assert _titles(SearchQuery(q="football")) == expected
    assert _titles(SearchQuery(q="football", postcode="HD1 2QA", distance=20)) == expected


def test_nearest_first_when_asked_even_with_words(football):
    nearest = _titles(SearchQuery(q="football", postcode="HD1 2QA", distance=20, sort="nearest"))
    assert nearest[0] == "Walking netball" and nearest[-1] == "Five-a-side"


def test_best_match_within_the_distance_reads_past_the_close_share_for_the_best_tier(football):
    """A page of nearby description matches must not hide a title match further away."""
    club = football.partner("Fartown Sports Club", "kirklees")
    for number in range(PER_PAGE + 2):
        football.activity(partner=club, title=f"Netball {number}", categories=("walking-netball",),
                          postcode="HD1 2QA", description="Next to the football ground.")
    page = search_activities(query=SearchQuery(q="football", postcode="HD1 2QA", distance=20), now=NOW)
    assert page.results[0].activity.title == "Five-a-side" and page.total == PER_PAGE + 5


def test_every_word_adds_its_weight(football):
    assert _titles(SearchQuery(q="football games")) == ["Five-a-side", "Badminton social"]


def test_painting_does_not_find_a_choir_run_by_an_arts_cafe(listed):
    listed.activity(partner=listed.partner("Halifax Arts Café", "calderdale"), title="Watercolour painting",
                    categories=("painting",), postcode="HX1 1QG")
    assert _titles(SearchQuery(q="painting")) == ["Watercolour painting"]
    assert "Halifax Community Choir" in _titles(SearchQuery(q="arts"))
