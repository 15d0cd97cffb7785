"""The synthetic directory: deterministic, realistic enough to search, and safe to add to."""
from sqlalchemy import func, select

from brokerage.core.values.timeutils import london_today
from brokerage.directory.listings.models import Activity, ActivityOccurrence
from brokerage.directory.search.pages import SearchQuery, search_activities
from brokerage.directory.search.synthetic import generate, load_context
from brokerage.extensions import db

from ..conftest import NOW


def _rows(seed: int, count: int = 40) -> list[dict]:
    context = load_context()
    return [row for batch in generate(count, seed=seed, now=NOW, today=london_today(NOW), context=context)
            for table in ("activity", "location", "schedule", "activity_occurrence") for row in batch[table]]


def test_the_same_seed_gives_the_same_directory(directory):
    assert _rows(7) == _rows(7)
    assert _rows(7) != _rows(8)


def test_seed_command_adds_searchable_activities_with_sessions(directory, runner, fixed_now):
    fixed_now(NOW)
    result = runner.invoke(args=["seed", "--synthetic-activities", "300", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "Synthetic activities added: 300" in result.output
    assert db.session.scalar(select(func.count()).select_from(Activity)) == 300
    assert db.session.scalar(select(func.count()).select_from(ActivityOccurrence)) > 300
    titles = [row[0] for row in db.session.execute(select(Activity.title).order_by(Activity.id).limit(5))]
    assert titles == [row["title"] for row in _rows(3, 5) if "title" in row]
    page = search_activities(query=SearchQuery(postcode="HD1", distance=5), now=NOW)
    assert page.total > 0 and page.results[0].next_session is not None


def test_activities_listed_after_synthetic_ones_get_fresh_ids(directory, runner, fixed_now):
    fixed_now(NOW)
    assert runner.invoke(args=["seed", "--synthetic-activities", "20"]).exit_code == 0
    listed = directory.activity(title="Real walking football")
    assert listed.id == 21


def test_seed_command_refuses_a_nonsense_count(directory, runner):
    result = runner.invoke(args=["seed", "--synthetic-activities", "0"])
    assert result.exit_code != 0 and "0" in result.output
