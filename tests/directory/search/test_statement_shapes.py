"""A search's statement is built and compiled once per shape, and the shapes are few: a new
distance, filter value or page must not cost a person a new compile (performance.md S8)."""
import pytest
from sqlalchemy import event

from brokerage.directory import prepare_search, warm_search
from brokerage.directory.listings.services import Venue
from brokerage.directory.search import pages as search_module
from brokerage.directory.search.index import SHAPE_BANDS
from brokerage.directory.search.pages import SearchQuery, prepare_statements, search_activities
from brokerage.extensions import db

from ..conftest import NOW

CATEGORIES = ("choir", "climbing", "walking-football", "outdoor")
SUITABLE = ("beginners", "older_people")


@pytest.fixture
def spread(directory):
    """Activities about 1, 6 and 15 miles from HD1 2QA."""
    directory.activity(partner=directory.partner(), title="Walking football")
    directory.activity(partner=directory.partner("Halifax Arts Café", "calderdale"), title="Community choir",
                       venue=Venue(name="Arts Café", postcode="HX1 1QG"))
    directory.activity(partner=directory.partner("Summit Climbing Wall", "kirklees"), title="Climbing",
                       postcode="HD1 6QF")
    return directory


def _forty_searches() -> list[SearchQuery]:
    """40 different distances (0.1 to 50 miles), each with other values of the same filters and page."""
    return [SearchQuery(postcode="HD1 2QA", distance=round(0.1 + 1.25 * number, 2), day=(number % 7,),
                        category=(CATEGORIES[number % len(CATEGORIES)],), suitable=(SUITABLE[number % 2],),
                        page=1 + number % 3) for number in range(40)]


def _shape(query: SearchQuery):
    return search_module._prepared(query, search_module._origin(query), NOW)[0]


def test_forty_distances_filter_values_and_pages_share_a_handful_of_statements(listed):
    shapes = {_shape(query) for query in _forty_searches()}
    assert len(shapes) <= len(SHAPE_BANDS)


def test_values_of_the_same_filters_share_a_statement_whatever_they_are(listed):
    first = SearchQuery(q="art", postcode="HD1 2QA", distance=3, category=("choir",), locality="kirklees",
                        day=(1, 2), time=("evening",), join=("booking",), access=("step_free",), age=30, page=2)
    other = SearchQuery(q="walk", postcode="S70 1AA", distance=3.4, category=("climbing",), locality="barnsley",
                        day=(5, 6), time=("morning",), join=("drop_in",), access=("hearing_loop",), age=70, page=4)
    assert _shape(first) == _shape(other)


def test_a_padded_statement_finds_and_counts_exactly_the_activities_within_the_distance(spread):
    """Padding a place to its shape's bands (its last band repeated, empty strips) adds nothing."""
    everything = search_activities(query=SearchQuery(postcode="HD1 2QA", distance=50), now=NOW).results
    for miles in (0.5, 1.3, 3, 7.5, 15, 30):
        page = search_activities(query=SearchQuery(postcode="HD1 2QA", distance=miles), now=NOW)
        expected = [result.activity.id for result in everything if result.distance_miles <= miles]
        assert ([result.activity.id for result in page.results], page.total) == (expected, len(expected))
    assert len(everything) == 3


def test_after_preparing_no_distance_builds_a_new_statement(listed):
    search_module._shaped_statement.cache_clear()
    assert prepare_statements(NOW) == 3 * len(SHAPE_BANDS)
    built = search_module._shaped_statement.cache_info().misses
    for number in range(40):
        for q in ("", "art"):
            search_activities(query=SearchQuery(q=q, postcode="HD1 2QA", distance=round(0.1 + 1.25 * number, 2)),
                              now=NOW)
    assert search_module._shaped_statement.cache_info().misses == built


def test_a_worker_runs_every_prepared_statement_on_its_own_connection_before_taking_a_request(app, listed):
    """What gunicorn's master compiled, each worker runs once on the connection it keeps
    (directory.warm_search, its post_worker_init), so that the database has prepared it too."""
    prepare_search(app)  # the master: compiled, and its connections closed before the fork
    run = []

    def record(connection, cursor, statement, *args):
        run.append(statement)

    with app.app_context():
        assert db.engine.pool.checkedin() == 0
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            warm_search(app)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert sum("search_band" in statement for statement in run) == 3 * len(SHAPE_BANDS)
        assert db.engine.pool.checkedin() == 1  # the worker's connection, kept for its requests
