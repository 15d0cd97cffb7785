"""The demo groups load through the services, once."""
from sqlalchemy import select

from brokerage.extensions import db
from brokerage.groups.constitution.services import draft_of
from brokerage.groups.hosting.expenses import expenses_of
from brokerage.groups.hosting.ledger import summed_balance
from brokerage.groups.hosting.services import live_hosting
from brokerage.groups.lifecycle import readiness_for
from brokerage.groups.models import Group
from brokerage.groups.seed import seed_groups
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users


def test_demo_has_a_group_choosing_its_constitution_and_a_constituted_group(app, now_fixed):
    with app.app_context():
        seed_demo_users()
        seed_partners(SEED_DIR)
        assert seed_groups(SEED_DIR) == 2
        assert seed_groups(SEED_DIR) == 0
        groups = {group.name: group for group in db.session.scalars(select(Group))}
        stitchers, walkers = groups["Calder Valley Stitchers"], groups["Barnsley Good Mood Walkers"]
        assert readiness_for(stitchers).stage == "forming"
        assert 0 < len(draft_of(stitchers).answered) < 11
        walkers_readiness = readiness_for(walkers)
        assert walkers_readiness.stage == "hosted"
        assert {item.key for item in walkers_readiness.items if not item.done} == {"signatories", "safeguarding"}


def test_demo_constituted_group_is_hosted_by_a_demo_partner_holding_its_money(app, now_fixed):
    with app.app_context():
        seed_demo_users()
        seed_partners(SEED_DIR)
        seed_groups(SEED_DIR)
        walkers = db.session.scalar(select(Group).where(Group.name == "Barnsley Good Mood Walkers"))
        held = live_hosting(walkers)
        assert held.partner.name == "Reds in the Community" and held.status == "approved"
        assert held.balance_pence == 48600 == summed_balance(held.id)
        assert [expense.status for expense in expenses_of(held)] == ["submitted"]
