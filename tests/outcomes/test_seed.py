"""Demo wellbeing measures: one project with enough pairs to report, one too small; loaded once."""
from sqlalchemy import select

from brokerage.directory.listings.models import Activity
from brokerage.extensions import db
from brokerage.outcomes.measures.results import project_summary
from brokerage.outcomes.seed import seed_outcomes
from brokerage.seeding import SEED_DIR, seed_demo

from .conftest import NOW


def test_demo_measures_show_a_reportable_project_and_a_suppressed_one_and_load_once(app, fixed_now):
    fixed_now(NOW)
    with app.app_context():
        seed_demo()
        football = db.session.scalar(select(Activity).where(Activity.title == "Walking football"))
        choir = db.session.scalar(select(Activity).where(Activity.title == "Halifax community choir"))
        reportable, suppressed = project_summary(football), project_summary(choir)
        assert reportable.reportable and reportable.pairs >= 5 and reportable.participants > reportable.pairs
        assert not suppressed.reportable and 0 < suppressed.pairs < 5
        assert seed_outcomes(SEED_DIR) == 0
