"""Hosting agreements renewed before expiry; applications left undecided for 60 days expire, and the
group is told."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups.hosting import services as hosting
from brokerage.groups.models import Group, Hosting
from brokerage.groups.reminders import expire_hosting_applications
from brokerage.notifications.models import OutboxMessage
from tests.conftest import page_text


def _user(hosted_group, key):
    return db.session.get(User, hosted_group.users[key].id)


def test_the_host_renews_a_current_agreement_before_it_expires(app, hosted_group):
    with app.app_context():
        held = db.session.get(Hosting, hosted_group.hosting_id)
        with pytest.raises(PermissionDenied):
            hosting.renew_hosting(actor=_user(hosted_group, "ann"), hosting=held, expires_on=date(2028, 5, 31))
        with pytest.raises(RuleViolation) as error:
            hosting.renew_hosting(actor=_user(hosted_group, "hal"), hosting=held, expires_on=date(2027, 1, 1))
        assert error.value.field == "expires_on" and "after the present one" in error.value.message
        hosting.renew_hosting(actor=_user(hosted_group, "hal"), hosting=held, expires_on=date(2028, 5, 31))
        assert db.session.get(Hosting, hosted_group.hosting_id).expires_on == date(2028, 5, 31)


def test_an_expired_agreement_cannot_be_renewed(app, hosted_group, now_fixed):
    now_fixed(datetime(2027, 6, 15, 12, 0, tzinfo=timezone.utc))
    with app.app_context():
        held = db.session.get(Hosting, hosted_group.hosting_id)
        with pytest.raises(RuleViolation) as error:
            hosting.renew_hosting(actor=_user(hosted_group, "hal"), hosting=held, expires_on=date(2028, 5, 31))
        assert "applies again" in error.value.message


def test_the_renewal_page_refuses_a_bad_date_next_to_it_and_others_are_refused(client, auth, hosted_group):
    auth.login(hosted_group.users["ann"])
    assert client.get(f"/groups/hostings/{hosted_group.hosting_id}/renew").status_code == 403
    auth.logout()
    auth.login(hosted_group.users["hal"])
    response = client.post(f"/groups/hostings/{hosted_group.hosting_id}/renew", data={"expires_on": "soon"})
    assert response.status_code == 200 and "There is a problem" in page_text(response)
    page = page_text(client.post(f"/groups/hostings/{hosted_group.hosting_id}/renew",
                                 data={"expires_on": "2028-05-31"}, follow_redirects=True))
    assert "The agreement is renewed until 31 May 2028." in page


def test_an_application_undecided_for_60_days_expires_and_the_group_is_told_once(app, hosted_group):
    with app.app_context():
        held = db.session.get(Hosting, hosted_group.hosting_id)
        held.status = "ended"
        held.ended_on = date(2026, 6, 15)
        db.session.commit()
        group = db.session.get(Group, hosted_group.group_id)
        pending = hosting.apply_for_hosting(actor=_user(hosted_group, "ann"), group=group,
                                            partner_id=hosted_group.other_partner_id, request="")
        pending_id, pending.applied_at = pending.id, datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
        db.session.commit()
        assert expire_hosting_applications(datetime(2026, 8, 1, tzinfo=timezone.utc)) == 0
        assert expire_hosting_applications(datetime(2026, 8, 20, tzinfo=timezone.utc)) > 0
        assert db.session.get(Hosting, pending_id).status == "expired"
        told = set(db.session.scalars(select(OutboxMessage.recipient_email).where(
            OutboxMessage.kind == "hosting_application_expired")))
        assert {"ann@example.org", "bea@example.org", "cal@example.org"} <= told
        assert expire_hosting_applications(datetime(2026, 8, 21, tzinfo=timezone.utc)) == 0
