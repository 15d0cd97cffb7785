"""Partner rules at the service level: who may create and edit, duplicates, archiving,
search, and the audit trail they leave."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import NotFound, PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.organisations import services
from brokerage.partners.models import Partner
from brokerage.partners.access import acts_for_partner
from tests.partners.conftest import TODAY, attached, details, signed


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(partner_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "partner", AuditEvent.object_id == partner_id).order_by(AuditEvent.id)))


def test_a_coordinator_registers_a_partner_with_normalised_identifiers(app, admin, locality_ids):
    with app.app_context():
        partner = services.create_partner(actor=attached(admin), details=details(
            locality_ids, name="  Reds   in the Community ", type="charity", charity_number="1 120 412",
            company_number="6219581", postcode="s71 1et", website="reds.example.org",
            localities=("barnsley", "wakefield"), interests=["sport", "heritage"]))
        assert partner.name == "Reds in the Community"
        assert (partner.charity_number, partner.company_number, partner.postcode) == ("1120412", "06219581", "S71 1ET")
        assert partner.website == "https://reds.example.org"
        assert [locality.slug for locality in partner.localities] == ["barnsley", "wakefield"]
        assert partner.interests == ["heritage", "sport"]
        assert partner.agreement is None
        assert _actions(partner.id) == ["partner.created"]


@pytest.mark.parametrize("fields, field, message", [
    ({"charity_number": "1120412"}, "charity_number", "already registered with this charity number"),
    ({"company_number": "6219581"}, "company_number", "already registered with this company number"),
    ({"name": "THE Reds in the Community!"}, "name", "already registered with this name"),
])
def test_duplicate_organisations_are_refused_with_the_existing_record(app, admin, locality_ids, make_partner,
                                                                      fields, field, message):
    existing = make_partner(type="charity", charity_number="1120412", company_number="06219581")
    fields = {"name": "Another name", **fields}
    with app.app_context():
        before = (_count(Partner), _count(AuditEvent))
        with pytest.raises(services.DuplicatePartner, match=message) as refused:
            services.create_partner(actor=attached(admin), details=details(locality_ids, **fields))
        assert refused.value.field == field
        assert refused.value.existing.id == existing
        db.session.rollback()
        assert (_count(Partner), _count(AuditEvent)) == before


def test_an_archived_organisation_still_counts_as_a_duplicate(app, admin, locality_ids, make_partner):
    existing = make_partner()
    with app.app_context():
        services.set_archived(actor=attached(admin), partner=services.get_partner(existing), archived=True)
        with pytest.raises(services.DuplicatePartner):
            services.create_partner(actor=attached(admin), details=details(locality_ids))


def test_editing_a_partner_keeps_its_own_numbers_without_calling_them_duplicates(app, admin, locality_ids,
                                                                                 make_partner):
    partner_id = make_partner(type="charity", charity_number="1120412")
    with app.app_context():
        partner = services.update_partner(actor=attached(admin), partner=services.get_partner(partner_id), details=details(
            locality_ids, type="charity", charity_number="1120412", description="Now with a description"))
        assert partner.description == "Now with a description"
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "partner.updated")).one()
        assert event.before["description"] == "" and event.after["description"] == "Now with a description"


@pytest.mark.parametrize("fields, field", [
    ({"charity_number": "12345"}, "charity_number"),
    ({"company_number": "SC12"}, "company_number"),
    ({"postcode": "S71"}, "postcode"),
    ({"website": "javascript:alert(1)"}, "website"),
    ({"type": "charity"}, "charity_number"),  # a registered charity needs its number
    ({"type": "cic"}, "company_number"),
    ({"type": "secret_society"}, "type"),
    ({"interests": ["sport", "astrology"]}, "interests"),
    ({"localities": ()}, "locality_ids"),
    ({"name": "  !!  "}, "name"),
    ({"name": "x" * 201}, "name"),
])
def test_bad_details_are_refused_on_their_field_and_nothing_is_saved(app, admin, locality_ids, fields, field):
    with app.app_context():
        events = _count(AuditEvent)
        with pytest.raises(RuleViolation) as refused:
            services.create_partner(actor=attached(admin), details=details(locality_ids, **fields))
        assert refused.value.field == field
        db.session.rollback()
        assert _count(Partner) == 0 and _count(AuditEvent) == events


def test_a_champion_registers_a_prospective_partner_and_is_linked_to_it(app, make_user, locality_ids):
    champion = make_user(Role.CHAMPION)
    with app.app_context():
        partner = services.create_partner(actor=attached(champion), details=details(locality_ids))
        assert partner.agreement is None
        assert _actions(partner.id) == ["partner.created", "partner.champion_linked"]
        services.update_partner(actor=attached(champion), partner=partner,
                                details=details(locality_ids, description="Edited by its champion"))


@pytest.mark.parametrize("role", [Role.PARTNER_CONTACT, Role.COLLECTIVE_MEMBER])
def test_partner_contacts_and_collective_members_cannot_register_partners(app, make_user, locality_ids, role):
    with app.app_context(), pytest.raises(PermissionDenied):
        services.create_partner(actor=attached(make_user(role)), details=details(locality_ids))


def test_partner_contact_edits_their_own_partner_but_not_another(app, make_user, make_partner, link_contact,
                                                                 locality_ids):
    own, other = make_partner("Reds in the Community"), make_partner("Halifax Arts Café")
    contact = make_user(Role.PARTNER_CONTACT)
    link_contact(contact, own)
    with app.app_context():
        services.update_partner(actor=attached(contact), partner=services.get_partner(own),
                                details=details(locality_ids, description="Our new description"))
        with pytest.raises(PermissionDenied):
            services.update_partner(actor=attached(contact), partner=services.get_partner(other),
                                    details=details(locality_ids, name="Halifax Arts Café", description="Defaced"))
        assert services.get_partner(other).description == ""
        assert acts_for_partner(attached(contact), own) and not acts_for_partner(attached(contact), other)


def test_champions_edit_only_the_partners_they_are_linked_to(app, make_user, make_partner, link_champion,
                                                             locality_ids):
    linked, unlinked = make_partner("Reds in the Community"), make_partner("Halifax Arts Café")
    champion = make_user(Role.CHAMPION)
    link_champion(champion, linked)
    with app.app_context():
        services.update_partner(actor=attached(champion), partner=services.get_partner(linked),
                                details=details(locality_ids, description="Updated"))
        with pytest.raises(PermissionDenied):
            services.update_partner(actor=attached(champion), partner=services.get_partner(unlinked),
                                    details=details(locality_ids, name="Halifax Arts Café"))


def test_collective_members_read_but_cannot_edit(app, make_user, make_partner, locality_ids):
    partner_id = make_partner()
    member = make_user(Role.COLLECTIVE_MEMBER)
    with app.app_context():
        assert services.partner_for_viewing(actor=attached(member), partner_id=partner_id).id == partner_id
        with pytest.raises(PermissionDenied):
            services.partner_for_editing(actor=attached(member), partner_id=partner_id)


def test_a_partner_contact_cannot_even_see_another_partner(app, make_user, make_partner, link_contact):
    own, other = make_partner("Reds in the Community"), make_partner("Halifax Arts Café")
    contact = make_user(Role.PARTNER_CONTACT)
    link_contact(contact, own)
    with app.app_context():
        with pytest.raises(PermissionDenied):
            services.partner_for_viewing(actor=attached(contact), partner_id=other)
        with pytest.raises(NotFound):
            services.partner_for_viewing(actor=attached(contact), partner_id=999)


def test_archiving_is_for_coordinators_keeps_the_record_and_blocks_edits(app, admin, make_user, make_partner,
                                                                          link_contact, locality_ids):
    partner_id = make_partner()
    contact = make_user(Role.PARTNER_CONTACT)
    link_contact(contact, partner_id)
    with app.app_context():
        partner = services.get_partner(partner_id)
        with pytest.raises(PermissionDenied):
            services.set_archived(actor=attached(contact), partner=partner, archived=True)
        services.set_archived(actor=attached(admin), partner=partner, archived=True)
        assert services.get_partner(partner_id).is_archived
        with pytest.raises(RuleViolation, match="archived"):
            services.update_partner(actor=attached(contact), partner=partner, details=details(locality_ids))
        services.set_archived(actor=attached(admin), partner=partner, archived=False)
        assert _actions(partner_id)[-2:] == ["partner.archived", "partner.restored"]


def _names(actor, **filters) -> list[str]:
    found = services.search_partners(actor=attached(actor), filters=services.PartnerFilters(**filters), today=TODAY)
    return [partner.name for partner in found]


def test_search_by_name_locality_type_interest_and_agreement_status(app, admin, make_partner, locality_ids):
    make_partner("Reds in the Community", type="sports_club", interests=["sport"], agreement=signed())
    make_partner("Halifax Arts Café", localities=("calderdale",), interests=["arts", "food"],
                 agreement=signed(insurance=TODAY + timedelta(days=20)))
    make_partner("Calder Valley Walkers", localities=("calderdale",), interests=["walking"])
    with app.app_context():
        assert _names(admin) == ["Calder Valley Walkers", "Halifax Arts Café", "Reds in the Community"]
        assert _names(admin, text="arts cafe") == ["Halifax Arts Café"]
        assert _names(admin, text="100%_") == []
        assert _names(admin, locality_id=locality_ids["calderdale"]) == ["Calder Valley Walkers", "Halifax Arts Café"]
        assert _names(admin, type="sports_club") == ["Reds in the Community"]
        assert _names(admin, interest="food") == ["Halifax Arts Café"]
        assert _names(admin, status="expiring") == ["Halifax Arts Café"]
        assert _names(admin, status="prospective") == ["Calder Valley Walkers"]
        assert _names(admin, status="active") == ["Reds in the Community"]


def test_archived_partners_are_found_only_when_asked_for(app, admin, make_partner):
    partner_id = make_partner()
    with app.app_context():
        services.set_archived(actor=attached(admin), partner=services.get_partner(partner_id), archived=True)
        assert _names(admin) == []
        assert _names(admin, include_archived=True) == ["Reds in the Community"]


def test_partner_contacts_find_only_their_own_organisations(app, make_user, make_partner, link_contact):
    own = make_partner("Reds in the Community")
    make_partner("Halifax Arts Café")
    contact, unlinked = make_user(Role.PARTNER_CONTACT), make_user(Role.PARTNER_CONTACT)
    link_contact(contact, own)
    with app.app_context():
        assert _names(contact) == ["Reds in the Community"]
        assert _names(unlinked) == []
