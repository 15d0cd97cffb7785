"""Collectives pages: money figures, joining, member privacy, allocating money and interests."""
from datetime import date

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.collectives.money.models import LedgerEntry
from brokerage.collectives.models import Constituency, Interest, JoinRequest, MemberRole, Membership
from brokerage.extensions import db
from brokerage.partners.models import Partner
from tests.conftest import page_text


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_collectives_pages_need_sign_in(client, collectives):
    for path in ("/collectives", "/collectives/barnsley", "/your-collectives"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_collective_page_shows_the_five_figures_for_this_financial_year(client, auth, funded, fixed_now):
    funded(50_000_00)
    auth.login_as(Role.COLLECTIVE_MEMBER)
    text = page_text(client.get("/collectives/barnsley"))
    assert "Money for 2026-27" in text
    assert "Allocated £50,000" in text and "Available £50,000" in text
    assert "Paid £0" in text and "Committed to approved bids £0" in text


def test_a_member_switches_between_this_financial_year_the_next_and_earlier_ones(client, auth, funded, fixed_now):
    funded(50_000_00)
    coordinator = auth.login_as(Role.COORDINATOR)
    client.post("/collectives/barnsley/allocate", data={"year": "2027", "amount": "20,000", "note": "Next year"})
    auth.logout()
    auth.login(coordinator)
    page = page_text(client.get("/collectives/barnsley"))
    assert "2026-27 (this year)" in page and "2027-28 (next year)" in page
    next_year = page_text(client.get("/collectives/barnsley?year=2027"))
    assert "Money for 2027-28" in next_year and "Allocated £20,000" in next_year and "Available £20,000" in next_year
    assert "Money for 2026-27" in page_text(client.get("/collectives/barnsley?year=1999"))


def test_the_years_money_is_a_bar_that_reads_without_colour(client, auth, funded, fixed_now):
    funded(50_000_00)
    auth.login_as(Role.COLLECTIVE_MEMBER)
    body = client.get("/collectives/barnsley").get_data(as_text=True)
    assert 'role="img"' in body and "Of £50,000 allocated: set aside £0, committed £0, paid £0, available £50,000." in body
    assert 'fill="url(#money-bar-available)"' in body and "Available: £50,000" in page_text(
        client.get("/collectives/barnsley"))


def test_the_money_bar_splits_the_allocation_into_its_parts():
    from brokerage.collectives.money.ledger import FundSummary
    from brokerage.collectives.pages import money_bar
    bar = money_bar(FundSummary(allocated=1000, earmarked=250, committed=250, paid=100))
    assert [(part.key, part.start, part.width) for part in bar] == [
        ("set_aside", 0, 25.0), ("committed", 25.0, 25.0), ("paid", 50.0, 10.0), ("available", 60.0, 40.0)]
    assert money_bar(FundSummary()) == []


def test_index_lists_each_collective_with_available_money(client, auth, funded, fixed_now):
    funded(50_000_00, "kirklees")
    auth.login_as(Role.COLLECTIVE_MEMBER)
    text = page_text(client.get("/collectives"))
    assert "Kirklees collective" in text and "£50,000 available this financial year" in text
    assert "Wakefield collective" in text


def test_members_cannot_see_each_others_constituency(client, auth, make_user, add_member, fixed_now):
    other = make_user(Role.COLLECTIVE_MEMBER, name="Other Person")
    add_member(other, constituency=Constituency.TRUST_STAFF)
    me = make_user(Role.COLLECTIVE_MEMBER, name="Me Myself")
    add_member(me, constituency=Constituency.CARER)
    auth.login(me)
    text = page_text(client.get("/collectives/barnsley"))
    assert "Other Person" in text
    assert "Trust staff" not in text
    assert "You joined as: Carer" in text


def test_coordinators_see_every_members_constituency(client, coordinator, make_user, add_member, fixed_now):
    add_member(make_user(Role.COLLECTIVE_MEMBER, name="Other Person"), constituency=Constituency.TRUST_STAFF)
    assert "Trust staff" in page_text(client.get("/collectives/barnsley"))


def test_join_request_then_chair_welcomes_the_new_member(app, client, auth, make_user, add_member, fixed_now):
    chair = make_user(Role.COLLECTIVE_MEMBER, name="Chair Person")
    add_member(chair, constituency=Constituency.CARER, role=MemberRole.CHAIR)
    newcomer = auth.login_as(Role.CHAMPION, name="New Comer")
    response = client.post("/collectives/barnsley/join", data={"constituency": "lived_experience"})
    assert response.status_code == 302
    assert "A chair or coordinator will reply soon" in page_text(client.get("/collectives/barnsley"))
    auth.logout()
    auth.login(chair)
    text = page_text(client.get("/collectives/barnsley"))
    assert "New Comer" in text and "Lived experience" not in text  # a chair is not told the constituency
    with app.app_context():
        request_id = db.session.scalar(select(JoinRequest.id))
    assert client.post(f"/collectives/barnsley/requests/{request_id}/approve").status_code == 302
    with app.app_context():
        membership = db.session.scalar(select(Membership).where(Membership.user_id == newcomer.id))
        assert membership.active_from == date(2026, 6, 15)
        assert membership.user.has_role(Role.COLLECTIVE_MEMBER)


def test_your_collectives_lists_requests_waiting_for_a_reply(client, auth, collectives, fixed_now):
    auth.login_as(Role.CHAMPION)
    client.post("/collectives/calderdale/join", data={"constituency": "community"})
    text = page_text(client.get("/your-collectives"))
    assert "You asked to join Calderdale collective on 15 June 2026" in text


def test_join_form_asks_for_a_constituency(client, auth, collectives):
    auth.login_as(Role.CHAMPION)
    response = client.post("/collectives/barnsley/join", data={"constituency": ""})
    assert response.status_code == 200
    assert "Choose the description that fits you best." in page_text(response)


def test_asking_twice_is_refused_politely(client, auth, collectives):
    auth.login_as(Role.CHAMPION)
    client.post("/collectives/barnsley/join", data={"constituency": "carer"})
    response = client.post("/collectives/barnsley/join", data={"constituency": "carer"})
    assert "You have already asked to join" in page_text(response)


def _pending_request(app, client, auth, slug="barnsley"):
    auth.login_as(Role.CHAMPION, name="Hopeful Joiner")
    client.post(f"/collectives/{slug}/join", data={"constituency": "carer"})
    auth.logout()
    with app.app_context():
        return db.session.scalar(select(JoinRequest.id))


def test_a_coordinator_who_asks_to_join_is_offered_others_requests_to_decide_never_their_own(app, client, auth,
                                                                                            collectives):
    _pending_request(app, client, auth)
    boss = auth.login_as(Role.COORDINATOR, name="Boss Person")
    client.post("/collectives/barnsley/join", data={"constituency": "trust_staff"})
    with app.app_context():
        own = db.session.scalar(select(JoinRequest.id).where(JoinRequest.user_id == boss.id))
    text = page_text(client.get("/collectives/barnsley"))
    assert "Boss Person" in text and "Welcome Hopeful Joiner" in text and "Welcome Boss Person" not in text
    assert client.post(f"/collectives/barnsley/requests/{own}/approve").status_code == 403
    assert _count(app, Membership) == 0


def test_chair_of_another_collective_cannot_approve_join_requests(app, client, auth, make_user, add_member):
    request_id = _pending_request(app, client, auth)
    other_chair = make_user(Role.COLLECTIVE_MEMBER)
    add_member(other_chair, slug="wakefield", role=MemberRole.CHAIR)
    auth.login(other_chair)
    assert client.post(f"/collectives/barnsley/requests/{request_id}/approve").status_code == 403
    assert _count(app, Membership) == 1


def test_ordinary_member_cannot_approve_join_requests(app, client, auth, make_user, add_member):
    request_id = _pending_request(app, client, auth)
    member = make_user(Role.COLLECTIVE_MEMBER)
    add_member(member)
    auth.login(member)
    assert client.post(f"/collectives/barnsley/requests/{request_id}/approve").status_code == 403
    assert "Hopeful Joiner" not in page_text(client.get("/collectives/barnsley"))


def test_request_id_from_another_collective_is_not_found(app, client, auth, collectives):
    request_id = _pending_request(app, client, auth, slug="kirklees")
    auth.login_as(Role.COORDINATOR)
    assert client.post(f"/collectives/barnsley/requests/{request_id}/decline").status_code == 404


def test_member_cannot_allocate_money(app, client, auth, collectives):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.get("/collectives/barnsley/allocate").status_code == 403
    assert client.post("/collectives/barnsley/allocate", data={"amount": "5000", "year": "2026"}).status_code == 403
    assert _count(app, LedgerEntry) == 0


def test_coordinator_allocates_pounds_and_pence(app, client, coordinator, collectives, fixed_now):
    response = client.post("/collectives/barnsley/allocate",
                           data={"amount": "£1,250.50", "year": "2026", "note": "Trust share"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(LedgerEntry.amount_pence)) == 125_050
    assert "Available £1,250.50" in page_text(client.get("/collectives/barnsley"))


@pytest.mark.parametrize("amount, message", [
    ("", "Enter the amount to allocate."),
    ("lots", "Enter an amount in pounds, like 1,250.50."),
    ("-50", "Enter an amount greater than £0."),
    ("0.00", "Enter an amount greater than £0."),
    ("12.345", "at most 2 digits after the point"),
    ("10,000,000.01", "Enter an amount no more than £10,000,000."),
    ("NaN", "Enter an amount in pounds, like 1,250.50."),
    ("1e9", "Enter an amount in pounds, like 1,250.50."),
])
def test_allocation_form_explains_bad_amounts_and_keeps_the_input(app, client, coordinator, collectives,
                                                                   fixed_now, amount, message):
    response = client.post("/collectives/barnsley/allocate", data={"amount": amount, "year": "2026"})
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and message in page_text(response)
    assert _count(app, LedgerEntry) == 0


def test_allocation_to_a_year_not_offered_is_refused(app, client, coordinator, collectives, fixed_now):
    response = client.post("/collectives/barnsley/allocate", data={"amount": "100", "year": "2030"})
    assert response.status_code == 200 and "Not a valid choice" in page_text(response)
    assert _count(app, LedgerEntry) == 0


def test_member_records_and_ends_a_connection(app, client, auth, collectives, fixed_now):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    response = client.post("/your-collectives/interests/new", data={
        "organisation_name": "Penistone Walkers", "partner_id": "", "nature": "I lead walks", "since": "2024-03-01"})
    assert response.status_code == 302
    text = page_text(client.get("/your-collectives"))
    assert "Penistone Walkers" in text and "Being connected to local organisations is normal" in text
    with app.app_context():
        interest_id = db.session.scalar(select(Interest.id))
    assert client.post(f"/your-collectives/interests/{interest_id}/end",
                       data={"ended_on": "2026-06-01"}).status_code == 302
    with app.app_context():
        assert db.session.get(Interest, interest_id).ended_on == date(2026, 6, 1)


@pytest.mark.parametrize("since, message", [
    ("2026-02-30", "Enter a real date"), ("2027-01-01", "today or in the past"), ("", "Enter the date"),
])
def test_interest_form_explains_bad_dates(client, auth, collectives, fixed_now, since, message):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    response = client.post("/your-collectives/interests/new",
                           data={"organisation_name": "Choir", "nature": "I sing", "since": since})
    assert response.status_code == 200 and message in page_text(response)


def test_member_cannot_end_another_members_interest(app, client, auth, collectives, fixed_now):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    client.post("/your-collectives/interests/new",
                data={"organisation_name": "Choir", "nature": "I sing", "since": "2025-01-01"})
    auth.logout()
    with app.app_context():
        interest_id = db.session.scalar(select(Interest.id))
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.get(f"/your-collectives/interests/{interest_id}/end").status_code == 403
    assert client.post(f"/your-collectives/interests/{interest_id}/end",
                       data={"ended_on": "2026-06-01"}).status_code == 403
    assert "Choir" not in page_text(client.get("/your-collectives"))
    assert client.get("/your-collectives/interests/99999/end").status_code == 404
    with app.app_context():
        assert db.session.get(Interest, interest_id).ended_on is None


def test_member_cannot_end_someone_elses_membership_but_can_leave(app, client, auth, make_user, add_member,
                                                                   fixed_now):
    other = add_member(make_user(Role.COLLECTIVE_MEMBER))
    me = make_user(Role.COLLECTIVE_MEMBER)
    mine = add_member(me)
    auth.login(me)
    assert client.get(f"/collectives/barnsley/members/{other}/end").status_code == 403
    assert client.post(f"/collectives/barnsley/members/{other}/end").status_code == 403
    assert "Leave Barnsley collective?" in page_text(client.get(f"/collectives/barnsley/members/{mine}/end"))
    assert client.post(f"/collectives/barnsley/members/{mine}/end").status_code == 302
    with app.app_context():
        assert db.session.get(Membership, other).active_to is None
        assert db.session.get(Membership, mine).active_to == date(2026, 6, 15)
    assert "You are not a member of a collective yet" in page_text(client.get("/your-collectives"))


def test_only_coordinators_appoint_chairs(app, client, auth, make_user, add_member):
    member_id = add_member(make_user(Role.COLLECTIVE_MEMBER))
    chair = make_user(Role.COLLECTIVE_MEMBER)
    add_member(chair, role=MemberRole.CHAIR)
    auth.login(chair)
    assert client.post(f"/collectives/barnsley/members/{member_id}/role/chair").status_code == 403
    auth.logout()
    auth.login_as(Role.COORDINATOR)
    assert client.post(f"/collectives/barnsley/members/{member_id}/role/chair").status_code == 302
    with app.app_context():
        assert db.session.get(Membership, member_id).role == "chair"


def test_every_form_page_opens(app, client, coordinator, collectives, fixed_now):
    client.post("/your-collectives/interests/new",
                data={"organisation_name": "Choir", "nature": "I sing", "since": "2025-01-01"})
    with app.app_context():
        interest_id = db.session.scalar(select(Interest.id))
    for path in ("/collectives", "/collectives/barnsley", "/collectives/barnsley/join", "/collectives/barnsley/allocate",
                 "/your-collectives", "/your-collectives/interests/new", f"/your-collectives/interests/{interest_id}/end"):
        assert client.get(path).status_code == 200, path


def test_unknown_collective_is_not_found(client, auth, collectives):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.get("/collectives/leeds").status_code == 404


def test_dashboard_offers_collectives_to_members(client, auth, collectives):
    auth.login_as(Role.COLLECTIVE_MEMBER)
    text = page_text(client.get("/dashboard"))
    assert "Your collectives" in text and "register of interests" in text


def test_a_connection_can_name_a_partner_and_a_bad_partner_id_is_refused(app, client, auth, collectives, fixed_now):
    with app.app_context():
        partner = Partner(name="Halifax Arts Café", name_key="halifax arts cafe", type="charity")
        db.session.add(partner)
        db.session.commit()
        partner_id = partner.id
    auth.login_as(Role.COLLECTIVE_MEMBER)
    response = client.post("/your-collectives/interests/new",
                           data={"partner_id": "oops", "nature": "I volunteer", "since": "2025-01-01"})
    assert response.status_code == 200 and "There is a problem" in page_text(response)
    response = client.post("/your-collectives/interests/new",
                           data={"partner_id": str(partner_id), "nature": "I volunteer", "since": "2025-01-01"})
    assert response.status_code == 302
    with app.app_context():
        interest = db.session.scalar(select(Interest))
        assert (interest.partner_id, interest.organisation_name) == (partner_id, "Halifax Arts Café")


def test_coordinator_corrects_an_allocation_by_reversing_it(app, client, coordinator, funded, fixed_now):
    funded(500_00)
    with app.app_context():
        entry_id = db.session.scalar(select(LedgerEntry.id))
    response = client.post(f"/collectives/barnsley/ledger/{entry_id}/reverse", data={"note": ""})
    assert "Say why this entry is being reversed." in page_text(response)
    response = client.post(f"/collectives/barnsley/ledger/{entry_id}/reverse", data={"note": "Typed the wrong amount"})
    assert response.status_code == 302
    assert "Available £0" in page_text(client.get("/collectives/barnsley"))
    response = client.post(f"/collectives/barnsley/ledger/{entry_id}/reverse", data={"note": "Again"})
    assert "That entry has already been reversed." in page_text(response)
    assert client.get(f"/collectives/wakefield/ledger/{entry_id}/reverse").status_code == 404


def test_member_cannot_reverse_ledger_entries(app, client, auth, funded):
    funded(500_00)
    with app.app_context():
        entry_id = db.session.scalar(select(LedgerEntry.id))
    auth.login_as(Role.COLLECTIVE_MEMBER)
    assert client.post(f"/collectives/barnsley/ledger/{entry_id}/reverse", data={"note": "x"}).status_code == 403
    assert _count(app, LedgerEntry) == 1
