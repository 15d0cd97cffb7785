"""The demo award: approved by the Wakefield collective's vote, its grant agreement signed and
partly paid, through the services; safe to load twice; it makes the grants feed and the
reports non-empty."""
from sqlalchemy import func, select

from brokerage.collectives.grants.seed import seed_awards
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.grants.models import GrantAgreement
from brokerage.collectives.grants.models import Payment
from brokerage.collectives.voting.models import Award
from brokerage.collectives.seed import seed_collectives
from brokerage.extensions import db
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users

from .giving import package_errors


def test_demo_award_is_agreed_partly_paid_and_in_the_grants_feed(app, client, fixed_now):
    with app.app_context():
        seed_demo_users(SEED_DIR)
        seed_partners(SEED_DIR)
        seed_collectives(SEED_DIR)
        seed_awards(SEED_DIR)
        seed_awards(SEED_DIR)
        bid = db.session.scalar(select(Bid).where(Bid.title == "Code club for adults in recovery"))
        assert bid.state is BidStatus.AGREEMENT
        assert db.session.scalar(select(func.count()).select_from(GrantAgreement)) == 1
        assert db.session.scalar(select(func.count()).select_from(Award)) == 1
        assert db.session.scalar(select(func.sum(Payment.amount_pence))) == 200_000
    package = client.get("/api/v1/grants").get_json()
    assert package_errors(package) == []
    [grant] = package["grants"]
    assert grant["recipientOrganization"][0]["id"] == "GB-COH-11234567"
    assert (grant["amountAwarded"], grant["amountDisbursed"]) == (4500, 2000)
