"""The derived agreement status (prospective / active / expiring / lapsed), with fixed dates,
and the rules for recording an agreement."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.organisations import services
from brokerage.partners.agreements.pages import agreements_needing_attention
from brokerage.partners.agreements.rules import AgreementStatus, AgreementTerms, add_months, agreement_status
from brokerage.partners.agreements.services import save_agreement
from brokerage.partners.models import PartnershipAgreement
from tests.conftest import page_text
from tests.partners.conftest import TODAY, attached, signed

FAR = date(2030, 1, 1)


def agreement(signed_on=date(2026, 1, 10), expires_on=FAR, insurance=FAR, safeguarding=date(2026, 5, 1)):
    return PartnershipAgreement(signed_on=signed_on, expires_on=expires_on, insurance_expires_on=insurance,
                                safeguarding_reviewed_on=safeguarding)


def status_of(item, today=TODAY) -> AgreementStatus:
    return agreement_status(item, today=today).status


def test_no_agreement_or_an_unsigned_one_is_prospective():
    assert status_of(None) == AgreementStatus.PROSPECTIVE
    assert status_of(PartnershipAgreement(notes="Draft sent")) == AgreementStatus.PROSPECTIVE


def test_an_agreement_signed_after_today_is_not_yet_in_force():
    assert status_of(agreement(signed_on=TODAY + timedelta(days=1))) == AgreementStatus.PROSPECTIVE
    assert status_of(agreement(signed_on=TODAY)) == AgreementStatus.ACTIVE


def test_a_signed_agreement_with_nothing_due_for_over_60_days_is_active():
    assert status_of(agreement()) == AgreementStatus.ACTIVE


@pytest.mark.parametrize("field", ["expires_on", "insurance"])
@pytest.mark.parametrize("days_ahead, expected", [
    (61, AgreementStatus.ACTIVE),
    (60, AgreementStatus.EXPIRING),  # the 60th day counts as "within 60 days"
    (1, AgreementStatus.EXPIRING),
    (0, AgreementStatus.EXPIRING),  # valid until the end of its last day
    (-1, AgreementStatus.LAPSED),
])
def test_expiry_and_insurance_dates_around_the_60_day_boundary(field, days_ahead, expected):
    item = agreement(**{field: TODAY + timedelta(days=days_ahead)})
    assert status_of(item) == expected


@pytest.mark.parametrize("reviewed_on, expected", [
    (date(2025, 8, 15), AgreementStatus.ACTIVE),  # review due 2026-08-15, 61 days ahead
    (date(2025, 8, 14), AgreementStatus.EXPIRING),  # due 2026-08-14, 60 days ahead
    (date(2025, 6, 15), AgreementStatus.EXPIRING),  # due today
    (date(2025, 6, 14), AgreementStatus.LAPSED),  # due yesterday
])
def test_safeguarding_policy_review_is_due_a_year_after_the_last(reviewed_on, expected):
    assert status_of(agreement(safeguarding=reviewed_on)) == expected


def test_the_same_agreement_turns_expiring_then_lapsed_as_the_date_nears():
    item = agreement(expires_on=date(2026, 9, 30))
    assert status_of(item, date(2026, 7, 31)) == AgreementStatus.ACTIVE
    assert status_of(item, date(2026, 8, 1)) == AgreementStatus.EXPIRING
    assert status_of(item, date(2026, 9, 30)) == AgreementStatus.EXPIRING
    assert status_of(item, date(2026, 10, 1)) == AgreementStatus.LAPSED


def test_lapsed_wins_over_expiring_and_lists_only_what_has_passed():
    report = agreement_status(agreement(expires_on=TODAY + timedelta(days=10), insurance=TODAY - timedelta(days=3)),
                              today=TODAY)
    assert report.status == AgreementStatus.LAPSED
    assert [item.label for item in report.due] == ["Insurance expires"]


def test_expiring_lists_every_date_due_soonest_first():
    report = agreement_status(agreement(expires_on=TODAY + timedelta(days=50), insurance=TODAY + timedelta(days=5)),
                              today=TODAY)
    assert [item.label for item in report.due] == ["Insurance expires", "Agreement expires"]
    assert report.next_due == TODAY + timedelta(days=5)


def test_add_months_keeps_the_day_or_falls_back_to_the_month_end():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("terms, field, message", [
    (signed(expires_on=date(2026, 1, 10)), "expires_on", "must be after the date signed"),
    (signed(expires_on=date(2025, 12, 1)), "expires_on", "must be after the date signed"),
    (signed(signed_on=TODAY + timedelta(days=1)), "signed_on", "cannot be in the future"),
    (signed(safeguarding=TODAY + timedelta(days=1)), "safeguarding_reviewed_on", "cannot be in the future"),
    (signed(insurance=None), "insurance_expires_on", "public liability insurance"),
    (signed(expires_on=None), "expires_on", "Enter the date the agreement expires"),
    (signed(safeguarding=None), "safeguarding_reviewed_on", "safeguarding policy"),
])
def test_refused_agreement_dates_name_the_field_and_save_nothing(app, admin, make_partner, terms, field, message):
    partner_id = make_partner()
    with app.app_context():
        events = _count(AuditEvent)
        with pytest.raises(RuleViolation, match=message) as refused:
            save_agreement(actor=attached(admin), partner=services.get_partner(partner_id), terms=terms, today=TODAY)
        assert refused.value.field == field
        db.session.rollback()
        assert _count(PartnershipAgreement) == 0
        assert _count(AuditEvent) == events


def test_only_coordinators_record_agreements(app, make_user, make_partner):
    partner_id = make_partner()
    champion = make_user(Role.CHAMPION)
    with app.app_context(), pytest.raises(PermissionDenied):
        save_agreement(actor=attached(champion), partner=services.get_partner(partner_id), terms=signed(), today=TODAY)


def test_saving_an_agreement_is_audited_with_before_and_after(app, admin, make_partner):
    partner_id = make_partner(agreement=AgreementTerms(None, None, None, None, notes="Draft sent"))
    with app.app_context():
        save_agreement(actor=attached(admin), partner=services.get_partner(partner_id), terms=signed(), today=TODAY)
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "partner.agreement_saved")
                                   .order_by(AuditEvent.id.desc())).first()
        assert event.object_id == partner_id
        assert event.before["signed_on"] is None
        assert event.after["signed_on"] == "2026-01-10"
        assert "active" in event.summary


def test_renewals_list_holds_expiring_and_lapsed_partners_soonest_first(app, admin, make_partner):
    make_partner("Active Arts", agreement=signed())
    make_partner("Prospective Walkers")
    make_partner("Expiring Climbers", agreement=signed(expires_on=TODAY + timedelta(days=40)))
    make_partner("Lapsed Choir", agreement=signed(insurance=TODAY - timedelta(days=2)))
    make_partner("Soon Kitchen", agreement=signed(insurance=TODAY + timedelta(days=3)))
    archived = make_partner("Archived Football", agreement=signed(expires_on=TODAY + timedelta(days=1)))
    with app.app_context():
        services.set_archived(actor=attached(admin), partner=services.get_partner(archived), archived=True)
        names = [item.partner.name for item in agreements_needing_attention(today=TODAY)]
    assert names == ["Lapsed Choir", "Soon Kitchen", "Expiring Climbers"]


def test_coordinator_records_an_agreement_and_sees_it_turn_expiring_then_lapsed(client, auth, coordinator,
                                                                                   make_partner, fixed_now):
    partner_id = make_partner()
    response = client.post(f"/partners/{partner_id}/agreement", data={
        "signed_on": "2026-06-01", "expires_on": "2026-12-31", "insurance_expires_on": "2027-05-31",
        "safeguarding_reviewed_on": "2026-05-20", "dbs_arrangements": "Leaders hold enhanced DBS checks."})
    assert response.status_code == 302
    assert "Status: Active" in page_text(client.get(f"/partners/{partner_id}"))
    assert "Nothing is due" in page_text(client.get("/partners/renewals"))

    fixed_now(datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc))  # 60 days before expiry
    auth.login(coordinator)  # months later: a new session
    page = page_text(client.get(f"/partners/{partner_id}"))
    assert "Status: Expiring" in page
    assert "Agreement expires 31 December 2026 (in 60 days)" in page
    assert "Reds in the Community" in page_text(client.get("/partners/renewals"))

    fixed_now(datetime(2027, 1, 1, 12, 0, tzinfo=timezone.utc))
    auth.login(coordinator)
    assert "Status: Lapsed" in page_text(client.get(f"/partners/{partner_id}"))


def test_agreement_form_with_expiry_before_signing_shows_the_message_by_the_field(client, coordinator, make_partner,
                                                                                  fixed_now):
    partner_id = make_partner()
    response = client.post(f"/partners/{partner_id}/agreement", data={
        "signed_on": "2026-06-01", "expires_on": "2026-05-01", "insurance_expires_on": "2027-05-31",
        "safeguarding_reviewed_on": "2026-05-20", "notes": "kept"})
    text = page_text(response)
    assert response.status_code == 400
    assert "There is a problem" in text
    assert 'id="expires_on-error"' in response.get_data(as_text=True)
    assert "The expiry date must be after the date signed." in text
    assert "kept" in response.get_data(as_text=True)


def test_agreement_form_refuses_a_date_that_is_not_a_date(client, coordinator, make_partner):
    partner_id = make_partner()
    response = client.post(f"/partners/{partner_id}/agreement", data={"signed_on": "31/02/2026",
                                                                    "expires_on": "99999-01-01"})
    assert response.status_code == 400
    assert "Enter a real date" in page_text(response)
