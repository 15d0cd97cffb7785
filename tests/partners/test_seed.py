"""The demo partners load through the services, in every agreement state, linked to the demo accounts."""
import json
from datetime import date

from sqlalchemy import select

from brokerage.extensions import db
from brokerage.partners.agreements.rules import AgreementStatus, partner_status
from brokerage.partners.champions.services import partners_for_champion, profile_for
from brokerage.partners.people.services import partners_for_account
from brokerage.partners.models import Partner
from brokerage.partners.seed import seed_partners
from brokerage.seeding import SEED_DIR, seed_demo_users
from brokerage.accounts.services import find_user_by_email

TODAY = date(2026, 6, 15)


def test_demo_partners_cover_every_locality_and_agreement_state_and_link_the_demo_people(app):
    with app.app_context():
        seed_demo_users(SEED_DIR)
        added = seed_partners(SEED_DIR, today=TODAY)
        partners = list(db.session.scalars(select(Partner)))
        assert added == len(partners) == len(json.loads((SEED_DIR / "partners.json").read_text())["partners"])
        assert {l.slug for p in partners for l in p.localities} == {"barnsley", "calderdale", "kirklees", "wakefield"}
        assert {partner_status(p, today=TODAY).status for p in partners} == set(AgreementStatus)
        reds = find_user_by_email("reds@demo.creativeminds.example")
        assert [p.name for p in partners_for_account(reds)] == ["Reds in the Community"]
        cafe = find_user_by_email("artscafe@demo.creativeminds.example")
        assert [p.name for p in partners_for_account(cafe)] == ["Halifax Arts Café"]
        dee = find_user_by_email("champion@demo.creativeminds.example")
        assert profile_for(dee).is_service_user and "Reds in the Community" in [p.name for p in partners_for_champion(dee)]
        assert seed_partners(SEED_DIR, today=TODAY) == 0  # idempotent
