"""Who a collective's message goes to, and how it is signed and linked."""

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from ...accounts.models import User
from ...extensions import db
from ...notifications.services import Recipient
from ...partners.models import PartnerContact, PartnerUser


def link(endpoint: str, **values) -> str:
    """The page's absolute address for an email: from the request, or from PUBLIC_URL
    (SERVER_NAME) on the worker; without either (a test, a CLI run in development), localhost."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    adapter = current_app.url_map.bind("localhost", url_scheme=current_app.config.get("PREFERRED_URL_SCHEME", "http"))
    return adapter.build(endpoint, values, force_external=True)


def members(user_ids) -> list[Recipient]:
    """The members with these accounts, active accounts only, in name order."""
    ids = list(user_ids)
    if not ids:
        return []
    users = db.session.execute(
        select(User.id, User.name, User.email).where(User.id.in_(ids), User.active).order_by(User.name)
    ).all()
    return [Recipient(name, email or None, user_id) for user_id, name, email in users]


def partner_people(partner_id: int) -> list[Recipient]:
    """The partner's linked accounts (who act for it on the platform) and its named contacts with
    an email address, once per address: a contact who also has an account is reached as the account."""
    accounts = members(db.session.scalars(select(PartnerUser.user_id).where(PartnerUser.partner_id == partner_id)))
    seen = {(person.email or "").lower() for person in accounts}
    contacts = []
    for name, email in db.session.execute(
        select(PartnerContact.name, PartnerContact.email)
        .where(PartnerContact.partner_id == partner_id, PartnerContact.email != "")
        .order_by(PartnerContact.is_primary.desc(), PartnerContact.name)
    ):
        if email.lower() not in seen:
            seen.add(email.lower())
            contacts.append(Recipient(name, email, None))
    return accounts + contacts
