"""The demo call for bids: one open call in Kirklees, loaded through the services, safe to load twice."""
from sqlalchemy import select

from brokerage.collectives.calls.models import CallForBids
from brokerage.collectives.calls.seed import seed_calls
from brokerage.collectives.calls.services import state_of
from brokerage.collectives.seed import seed_collectives
from brokerage.core.values.timeutils import london_today
from brokerage.extensions import db
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users


def test_the_demo_call_is_open_in_kirklees_up_to_three_thousand_pounds(app):
    with app.app_context():
        seed_demo_users(SEED_DIR)
        seed_partners(SEED_DIR)
        seed_collectives(SEED_DIR)
        seed_calls(SEED_DIR)
        seed_calls(SEED_DIR)
        [call] = db.session.scalars(select(CallForBids)).all()
        assert (call.collective.slug, call.title, call.upper_pence, call.district_list) == \
            ("kirklees", "Evening activities for young people in Dewsbury", 300_000, ["WF12", "WF13"])
        assert state_of(call, london_today()).value == "open"
