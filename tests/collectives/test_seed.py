"""The demo collectives: every constituency and a chair in each, a funded 2026-27 fund, safe to load twice."""
from sqlalchemy import func, select

from brokerage.collectives.money.models import Fund, LedgerEntry
from brokerage.collectives.models import Collective, Constituency, Interest, Membership
from brokerage.collectives.seed import seed_collectives
from brokerage.extensions import db
from brokerage.seeding import SEED_DIR, seed_demo_users


def test_demo_collectives_have_every_constituency_a_chair_and_money(app):
    with app.app_context():
        seed_demo_users(SEED_DIR)
        seed_collectives(SEED_DIR)
        seed_collectives(SEED_DIR)
        for collective in db.session.scalars(select(Collective)):
            rows = db.session.scalars(select(Membership).where(Membership.collective_id == collective.id)).all()
            assert {row.constituency for row in rows} == {c.value for c in Constituency}, collective.name
            assert sum(row.is_chair for row in rows) == 1, collective.name
        funds = db.session.scalars(select(Fund)).all()
        assert len(funds) == 4 and {(f.start_year, f.available_pence) for f in funds} == {(2026, 5_000_000)}
        assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 4
        assert db.session.scalar(select(func.count()).select_from(Interest)) == 6
