"""Demo activities: loaded through the services, in every locality, safe to load twice."""
from sqlalchemy import func, select

from brokerage.directory.listings.models import Activity
from brokerage.directory.search.pages import SearchQuery, search_activities
from brokerage.directory.search.misses.models import SearchMiss
from brokerage.directory.seed import seed_activities, seed_search_misses
from brokerage.extensions import db
from brokerage.seeding import SEED_DIR, seed_demo

from .conftest import NOW


def test_demo_activities_cover_every_locality_and_load_once(app, fixed_now):
    fixed_now(NOW)
    with app.app_context():
        seed_demo()
        count = db.session.scalar(select(func.count(Activity.id)))
        assert count >= 10
        assert seed_activities(SEED_DIR) == 0
        localities = set(db.session.scalars(select(Activity.locality_id).distinct()))
        assert len(localities - {None}) == 4
        assert db.session.scalar(select(func.count(Activity.id)).where(Activity.group_id.is_not(None))) == 1
        climbing = db.session.scalar(select(SearchMiss).where(SearchMiss.words == "climbing")
                                     .order_by(SearchMiss.month.desc()))
        assert (climbing.district, climbing.month.isoformat(), climbing.searches) == ("HD3", "2026-06-01", 7)
        assert seed_search_misses(SEED_DIR) == 0


def test_a_person_in_kirklees_finds_art_nearby_with_the_next_session(app, fixed_now):
    fixed_now(NOW)
    with app.app_context():
        seed_demo()
        page = search_activities(query=SearchQuery(q="art", postcode="HD1 2QA", distance=20), now=NOW)
        assert page.total >= 1
        first = page.results[0]
        assert first.distance_miles is not None and first.next_session is not None


def test_every_demo_activity_page_and_calendar_opens(app, client, fixed_now):
    fixed_now(NOW)
    with app.app_context():
        seed_demo()
        ids = list(db.session.scalars(select(Activity.id)))
    for activity_id in ids:
        assert client.get(f"/activities/{activity_id}").status_code == 200
        assert client.get(f"/activities/{activity_id}.ics").status_code == 200
