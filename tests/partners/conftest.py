"""Partner fixtures: data made through the services, as a coordinator would make it."""
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.extensions import db
from brokerage.partners.champions import services as champions
from brokerage.partners.people import services as contacts
from brokerage.partners.organisations import services
from brokerage.partners.agreements.rules import AgreementTerms
from brokerage.partners.agreements.services import save_agreement

TODAY = date(2026, 6, 15)


def attached(user) -> User:
    """The same user, loaded in the current session (fixtures hand back detached users)."""
    return db.session.get(User, user.id)


@pytest.fixture
def ctx(app):
    """Run the test body inside an application context (for service-level tests)."""
    with app.app_context():
        yield


@pytest.fixture
def locality_ids(app) -> dict[str, int]:
    with app.app_context():
        return {locality.slug: locality.id for locality in db.session.scalars(select(Locality))}


@pytest.fixture
def admin(make_user):
    return make_user(Role.COORDINATOR, name="Alex Admin", email="admin@example.org")


def details(locality_ids, name="Reds in the Community", localities=("barnsley",), **fields):
    fields.setdefault("type", "informal_group")
    return services.PartnerDetails(name=name, locality_ids=[locality_ids[slug] for slug in localities], **fields)


@pytest.fixture
def make_partner(app, admin, locality_ids):
    """make_partner(name=..., localities=(...), interests=[...], agreement=AgreementTerms|None) -> id."""
    def make(name="Reds in the Community", agreement: AgreementTerms | None = None, **fields) -> int:
        with app.app_context():
            actor = attached(admin)
            partner = services.create_partner(actor=actor, details=details(locality_ids, name, **fields))
            if agreement:
                save_agreement(actor=actor, partner=partner, terms=agreement, today=TODAY)
            return partner.id
    return make


@pytest.fixture
def link_contact(app, admin):
    """link_contact(user, partner_id): let a partner contact act for a partner."""
    def link(user, partner_id: int) -> None:
        with app.app_context():
            contacts.link_account(actor=attached(admin), partner=services.get_partner(partner_id), user=attached(user))
    return link


@pytest.fixture
def link_champion(app, admin):
    def link(user, partner_id: int) -> None:
        with app.app_context():
            champions.link_champion(actor=attached(admin), partner=services.get_partner(partner_id),
                                    champion=attached(user))
    return link


def signed(signed_on=date(2026, 1, 10), expires_on=date(2028, 1, 9), insurance=date(2027, 3, 31),
           safeguarding=date(2026, 5, 1), **extra) -> AgreementTerms:
    return AgreementTerms(signed_on=signed_on, expires_on=expires_on, insurance_expires_on=insurance,
                          safeguarding_reviewed_on=safeguarding, **extra)
