"""Directory fixtures: reference data loaded, partners and activities made through the services."""
from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.directory.listings import services
from brokerage.directory.geo.locations import load_district_centroids
from brokerage.directory.models import TaxonomyTerm
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.listings.services import FirstVisit
from brokerage.directory.listings.taxonomy import load_taxonomy
from brokerage.extensions import db
from brokerage.partners.champions import services as champions
from brokerage.partners.people import services as contacts
from brokerage.partners.models import Partner
from brokerage.partners.organisations import services as partners

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)  # Monday 15 June 2026, 1pm in London


def weekly(start=date(2026, 6, 17), at=time(18), until=time(20), **fields) -> Schedule:
    return Schedule(frequency="weekly", start_date=start, start_time=at, end_time=until, **fields)


class Directory:
    """Builds directory data inside an application context."""

    def __init__(self, make_user):
        self.make_user = make_user

    def user(self, *roles: Role, **kwargs) -> User:
        db.session.commit()
        return db.session.get(User, self.make_user(*roles, **kwargs).id)

    @property
    def coordinator(self) -> User:
        if not hasattr(self, "_coordinator"):
            self._coordinator = self.user(Role.COORDINATOR, name="Casey Coordinator")
        return self._coordinator

    def partner(self, name="Reds in the Community", locality="barnsley"):
        existing = db.session.scalar(select(Partner).where(Partner.name == name))
        if existing is not None:
            return existing
        locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == locality))
        return partners.create_partner(actor=self.coordinator, details=partners.PartnerDetails(
            name=name, type="informal_group", locality_ids=[locality_id]))

    def contact_for(self, partner) -> User:
        user = self.user(Role.PARTNER_CONTACT)
        contacts.link_account(actor=self.coordinator, partner=partner, user=user)
        return user

    def champion_for(self, partner) -> User:
        user = self.user(Role.CHAMPION)
        champions.link_champion(actor=self.coordinator, partner=partner, champion=user)
        return user

    def term_ids(self, *codes: str) -> tuple[int, ...]:
        return tuple(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.code.in_(codes))))

    def details(self, title="Walking football", categories=("walking-football",), postcode="S71 1ET",
                schedule=None, **fields) -> services.ActivityDetails:
        venue = fields.pop("venue", None) or services.Venue(name="Oakwell Stadium", postcode=postcode,
                                                            address_1="Grove Street", city="Barnsley")
        fields.setdefault("description", "Football at walking pace for all abilities.")
        fields.setdefault("join_methods", ("drop_in",))
        return services.ActivityDetails(title=title, category_ids=self.term_ids(*categories), venue=venue,
                                        schedule=schedule or weekly(), **fields)

    def activity(self, partner=None, now=NOW, **fields):
        partner = partner or self.partner()
        return services.create_activity(actor=self.coordinator, provider_key=f"partner-{partner.id}",
                                        details=self.details(**fields), now=now)


@pytest.fixture
def directory(app, make_user):
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        yield Directory(make_user)


# A listing form filled in as a partner's contact would (`_form` adds the provider and category).
FORM = {
    "title": "Fortnightly pottery", "description": "Hand building with clay, tea and a chat.",
    "venue_name": "Arts Café", "address_1": "1 Square Road", "city": "Halifax", "postcode": "hx1 1qg",
    "frequency": "fortnightly", "start_date": "2026-06-18", "start_time": "14:00", "end_time": "16:00",
    "cost_kind": "price", "cost_amount": "3.50", "join_methods": ["drop_in"], "beginners_welcome": "y",
    "what_to_expect": "Someone will meet you at the door.", "contact_name": "Sam",
}


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return fixed_now


@pytest.fixture
def listed(directory, now):
    activity = directory.activity(first_visit=FirstVisit(what_to_expect="A warm welcome at the gate.",
                                                         peer_buddy=True))
    activity_id = activity.id
    db.session.commit()  # and touch nothing after it: SQLite would hold a write lock for the next read
    return activity_id


def _form(directory, partner, **changes):
    data = {**FORM, "provider": f"partner-{partner.id}", "categories": [str(i) for i in directory.term_ids("pottery")]}
    data.update(changes)
    return data
