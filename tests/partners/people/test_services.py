"""A partner's people at the service level: contacts (one primary) and linked accounts, who may
change them, and the audit trail they leave."""
import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import NotFound, PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.models import PartnerContact
from brokerage.partners.organisations import services
from brokerage.partners.people import services as contacts
from brokerage.partners.people.services import ContactDetails
from tests.partners.conftest import attached


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions(partner_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "partner", AuditEvent.object_id == partner_id).order_by(AuditEvent.id)))


def _add(actor, partner_id, name, **fields):
    return contacts.add_contact(actor=attached(actor), partner=services.get_partner(partner_id),
                                details=ContactDetails(name=name, **fields))


def test_the_first_contact_is_primary_and_there_is_only_ever_one(app, admin, make_partner):
    partner_id = make_partner()
    with app.app_context():
        lee = _add(admin, partner_id, "Lee Birkinshaw", email="LEE@Example.org", phone="07700 900101")
        gemma = _add(admin, partner_id, "Gemma Senior")
        assert lee.is_primary and not gemma.is_primary and lee.email == "lee@example.org"
        contacts.update_contact(actor=attached(admin), contact=gemma,
                                details=ContactDetails(name="Gemma Senior", is_primary=True))
        db.session.expire_all()
        primaries = db.session.scalars(select(PartnerContact.name).where(PartnerContact.is_primary)).all()
        assert primaries == ["Gemma Senior"]
        contacts.remove_contact(actor=attached(admin), contact=db.session.get(PartnerContact, gemma.id))
        assert db.session.get(PartnerContact, lee.id).is_primary
        assert _actions(partner_id)[-4:] == ["partner.contact_added", "partner.contact_added",
                                             "partner.contact_updated", "partner.contact_removed"]


@pytest.mark.parametrize("fields, field", [({"email": "not-an-email"}, "email"), ({"phone": "12"}, "phone"),
                                           ({"name": "   "}, "name")])
def test_bad_contact_details_are_refused(app, admin, make_partner, fields, field):
    partner_id = make_partner()
    with app.app_context():
        with pytest.raises(RuleViolation) as refused:
            _add(admin, partner_id, fields.pop("name", "Lee"), **fields)
        assert refused.value.field == field
        db.session.rollback()
        assert _count(PartnerContact) == 0


def test_partner_contact_cannot_touch_another_partners_contacts(app, make_user, make_partner, link_contact, admin):
    own, other = make_partner("Reds in the Community"), make_partner("Halifax Arts Café")
    contact = make_user(Role.PARTNER_CONTACT)
    link_contact(contact, own)
    with app.app_context():
        mel = _add(admin, other, "Mel Crowther")
        with pytest.raises(PermissionDenied):
            _add(contact, other, "Intruder")
        with pytest.raises(PermissionDenied):
            contacts.remove_contact(actor=attached(contact), contact=db.session.get(PartnerContact, mel.id))
        with pytest.raises(NotFound):  # another partner's contact through one's own partner
            contacts.get_contact(partner=services.get_partner(own), contact_id=mel.id)


def test_only_coordinators_link_accounts_and_only_partner_contacts_can_be_linked(app, admin, make_user,
                                                                                make_partner):
    partner_id = make_partner()
    contact, champion = make_user(Role.PARTNER_CONTACT), make_user(Role.CHAMPION)
    with app.app_context():
        partner = services.get_partner(partner_id)
        with pytest.raises(PermissionDenied):
            contacts.link_account(actor=attached(champion), partner=partner, user=attached(contact))
        with pytest.raises(RuleViolation, match="partner contact role"):
            contacts.link_account(actor=attached(admin), partner=partner, user=attached(champion))
        contacts.link_account(actor=attached(admin), partner=partner, user=attached(contact))
        with pytest.raises(RuleViolation, match="already"):
            contacts.link_account(actor=attached(admin), partner=partner, user=attached(contact))
        assert [user.id for user in contacts.linked_accounts(partner)] == [contact.id]
        contacts.unlink_account(actor=attached(admin), partner=partner, user=attached(contact))
        assert contacts.linked_accounts(partner) == []
        assert _actions(partner_id)[-2:] == ["partner.account_linked", "partner.account_unlinked"]
