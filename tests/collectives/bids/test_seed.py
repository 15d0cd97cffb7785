"""Demo bids: one in each early state, loaded through the services, safe to load twice."""
from sqlalchemy import select

from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.seed import seed_bids
from brokerage.collectives.seed import seed_collectives
from brokerage.extensions import db
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users


def test_demo_bids_cover_draft_submitted_screening_and_returned(app):
    with app.app_context():
        seed_demo_users(SEED_DIR)
        seed_partners(SEED_DIR)
        seed_collectives(SEED_DIR)
        seed_bids(SEED_DIR)
        seed_bids(SEED_DIR)
        bids = db.session.scalars(select(Bid)).all()
        assert len(bids) == 4
        assert {bid.status for bid in bids} == {"draft", "submitted", "screening", "returned"}
        returned = next(bid for bid in bids if bid.status == "returned")
        assert returned.return_message and returned.submitted_at is not None
