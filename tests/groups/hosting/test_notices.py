"""A hosting application tells the host partner's contacts, in the same transaction: nobody else,
nothing when the application is refused, and the link in the message opens the decision page."""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.errors import RuleViolation
from brokerage.extensions import db
from brokerage.groups.hosting import services as hosting
from brokerage.groups.models import Group
from brokerage.notifications.models import OutboxMessage


def _messages():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "hosting_application")).all()


def test_the_host_partners_contacts_hear_of_the_application_and_nobody_else(app, hosted_group):
    with app.app_context():
        [message] = _messages()
    assert message.recipient_email == "hal@example.org"
    assert message.subject == "Wakefield Walkers would like Reds in the Community to host it"
    assert f"/groups/hostings/{hosted_group.hosting_id}/decide" in message.text_body
    assert "Why you received this: You are a contact for Reds in the Community" in message.text_body
    assert "Hold our money" not in message.text_body  # the request itself stays behind sign-in


def test_a_refused_application_writes_no_message(app, hosted_group):
    with app.app_context():
        with pytest.raises(RuleViolation):
            hosting.apply_for_hosting(actor=db.session.get(User, hosted_group.users["ann"].id),
                                      group=db.session.get(Group, hosted_group.group_id),
                                      partner_id=hosted_group.other_partner_id, request="")
        assert [message.recipient_email for message in _messages()] == ["hal@example.org"]


def test_the_link_asks_the_host_to_sign_in_then_opens_the_decision(client, auth, app, hosted_group):
    with app.app_context():
        address = next(word for word in _messages()[0].text_body.split() if "/groups/hostings/" in word)
    link = urlsplit(address).path
    assert client.get(link).status_code == 302
    auth.login(hosted_group.users["hal"])
    response = client.get(link)
    assert response.status_code in (200, 302)
    auth.logout()
    auth.login(hosted_group.users["oli"])
    assert client.get(link).status_code in (403, 404)
