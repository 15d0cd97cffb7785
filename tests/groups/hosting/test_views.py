"""Hosting pages: who sees and does what, refusals in plain words on the page, the partner panel and
the coordinators' overview."""
from datetime import date

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.groups.hosting import expenses
from brokerage.groups.hosting import services as hosting
from brokerage.groups.hosting.models import Expense
from brokerage.groups.models import Hosting
from tests.conftest import page_text


def _switch(auth, user):
    """Sign out whoever is signed in, then sign in as `user`."""
    auth.logout()
    auth.login(user)


def _receive(app, hosted_group, pence):
    with app.app_context():
        hosting.record_money_received(actor=db.session.get(User, hosted_group.users["hal"].id),
                                      hosting=db.session.get(Hosting, hosted_group.hosting_id), amount_pence=pence,
                                      received_on=date(2026, 6, 10), note="Grant from the Community Chest")


def _expense(app, hosted_group, claimant="eve") -> int:
    with app.app_context():
        return expenses.submit_expense(
            actor=db.session.get(User, hosted_group.users["eve"].id),
            hosting=db.session.get(Hosting, hosted_group.hosting_id),
            new=expenses.NewExpense(description="Room hire", amount_pence=2500,
                                    claimant_id=hosted_group.person_ids[claimant])).id


def test_anonymous_visitors_are_sent_to_sign_in_for_hosting_pages(client, hosted_group):
    for path in ("/groups/hostings/1", "/groups/hostings/1/money", "/groups/attention"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/groups/expenses/1/approve").status_code in (302, 400)


def test_members_see_the_balance_and_its_history(client, auth, app, hosted_group):
    _receive(app, hosted_group, 12_345)
    auth.login(hosted_group.users["eve"])
    text = page_text(client.get(f"/groups/hostings/{hosted_group.hosting_id}"))
    assert "Money held for the group £123.45" in text
    assert "Money received: Grant from the Community Chest" in text


def test_another_partners_contact_cannot_see_or_decide_the_hosting(client, auth, hosted_group):
    auth.login(hosted_group.users["oli"])
    assert client.get(f"/groups/hostings/{hosted_group.hosting_id}").status_code == 403
    assert client.get(f"/groups/hostings/{hosted_group.hosting_id}/decide").status_code == 403
    assert client.post(f"/groups/hostings/{hosted_group.hosting_id}/money",
                       data={"amount": "10", "received_on": "2026-06-10"}).status_code == 403


def test_a_member_cannot_open_the_hosts_pages(client, auth, hosted_group):
    auth.login(hosted_group.users["eve"])
    assert client.get(f"/groups/hostings/{hosted_group.hosting_id}/money").status_code == 403
    assert client.get(f"/groups/hostings/{hosted_group.hosting_id}/graduate").status_code == 403


def test_host_records_money_in_pounds(client, auth, app, hosted_group):
    auth.login(hosted_group.users["hal"])
    response = client.post(f"/groups/hostings/{hosted_group.hosting_id}/money",
                           data={"amount": "1,250.50", "received_on": "2026-06-12", "note": "Grant"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Hosting, hosted_group.hosting_id).balance_pence == 125_050


def test_bad_amount_is_shown_next_to_the_field_with_the_input_kept(client, auth, hosted_group):
    auth.login(hosted_group.users["eve"])
    response = client.post(f"/groups/hostings/{hosted_group.hosting_id}/expenses/new",
                           data={"description": "Tea and biscuits", "amount": "-5",
                                 "claimant_id": str(hosted_group.person_ids["eve"])})
    text = page_text(response)
    assert response.status_code == 200 and "Enter an amount greater than £0." in text
    assert 'value="Tea and biscuits"' in response.get_data(as_text=True)


def test_expense_approved_by_its_claimant_is_refused_in_plain_words(client, auth, app, hosted_group):
    expense_id = _expense(app, hosted_group, claimant="ann")
    auth.login(hosted_group.users["ann"])
    response = client.post(f"/groups/expenses/{expense_id}/approve", follow_redirects=True)
    assert "Ann is claiming this expense, so cannot approve it." in page_text(response)


def test_a_non_officer_cannot_approve_an_expense_page(client, auth, app, hosted_group):
    expense_id = _expense(app, hosted_group, claimant="fay")
    auth.login(hosted_group.users["eve"])
    assert client.post(f"/groups/expenses/{expense_id}/approve").status_code == 403
    with app.app_context():
        assert db.session.get(Expense, expense_id).approvals == []


def test_officers_approve_and_host_pays_through_the_pages(client, auth, app, hosted_group):
    _receive(app, hosted_group, 10_000)
    expense_id = _expense(app, hosted_group)
    for officer in ("ann", "dev"):
        _switch(auth, hosted_group.users[officer])
        client.post(f"/groups/expenses/{expense_id}/approve")
    _switch(auth, hosted_group.users["hal"])
    page = page_text(client.post(f"/groups/expenses/{expense_id}/pay", follow_redirects=True))
    assert "The expense is recorded as paid." in page and "Money held for the group £75" in page


def test_paying_beyond_the_balance_is_refused_on_the_page(client, auth, app, hosted_group):
    _receive(app, hosted_group, 1_000)
    expense_id = _expense(app, hosted_group)
    for officer in ("ann", "dev"):
        _switch(auth, hosted_group.users[officer])
        client.post(f"/groups/expenses/{expense_id}/approve")
    _switch(auth, hosted_group.users["hal"])
    page = page_text(client.post(f"/groups/expenses/{expense_id}/pay", follow_redirects=True))
    assert "That would overspend the money held for the group: it holds £10, and this needs £25." in page


def test_graduating_without_an_own_account_is_refused_on_the_page(client, auth, hosted_group):
    auth.login(hosted_group.users["hal"])
    assert "The group has no open bank account of its own." in page_text(
        client.get(f"/groups/hostings/{hosted_group.hosting_id}/graduate"))
    response = client.post(f"/groups/hostings/{hosted_group.hosting_id}/graduate")
    assert response.status_code == 200
    assert "The group has no open bank account of its own." in page_text(response)


def test_approving_without_dates_shows_what_is_missing(client, auth, app, hosted_group):
    with app.app_context():
        db.session.get(Hosting, hosted_group.hosting_id).status = "rejected"
        db.session.commit()
    auth.login(hosted_group.users["ann"])
    response = client.post(f"/groups/{hosted_group.group_id}/hosting/apply",
                           data={"partner_id": str(hosted_group.partner_id), "request": "Please"})
    assert response.status_code == 302
    _switch(auth, hosted_group.users["hal"])
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    text = page_text(client.post(f"/groups/hostings/{new_id}/decide", data={"decision": "approve"}))
    assert "Enter the date the agreement starts." in text
    text = page_text(client.post(f"/groups/hostings/{new_id}/decide", data={"decision": "approve",
                                                                           "starts_on": "2026-07-01"}))
    assert "Enter the date the agreement expires." in text


def test_group_page_shows_the_governance_calendar_and_the_host(client, auth, hosted_group):
    auth.login(hosted_group.users["ann"])
    text = page_text(client.get(f"/groups/{hosted_group.group_id}"))
    assert "Governance calendar" in text and "Hosting agreement expires" in text
    assert "Reds in the Community : hosting the group, holding £0" in text


def test_partner_page_shows_groups_we_host_with_balances_to_its_contacts_only(client, auth, app, hosted_group):
    _receive(app, hosted_group, 3_000)
    auth.login(hosted_group.users["hal"])
    text = page_text(client.get(f"/partners/{hosted_group.partner_id}"))
    assert "Groups we host" in text and "Wakefield Walkers Hosted 31 May 2027 £30" in text
    auth.logout()
    auth.login_as(Role.CHAMPION)
    assert "Groups we host" not in page_text(client.get(f"/partners/{hosted_group.partner_id}"))


def test_coordinators_reach_groups_needing_attention_from_the_dashboard(client, auth, hosted_group):
    auth.login_as(Role.COORDINATOR)
    assert 'href="/groups/attention"' in client.get("/dashboard").get_data(as_text=True)
    text = page_text(client.get("/groups/attention"))
    assert "Groups needing attention" in text and "Wakefield Walkers" in text


def test_only_coordinators_see_groups_needing_attention(client, auth, hosted_group):
    auth.login(hosted_group.users["ann"])
    assert client.get("/groups/attention").status_code == 403


def test_cancelling_an_expense_asks_for_a_reason_on_the_page_and_refuses_non_officers(client, auth, app, hosted_group):
    expense_id = _expense(app, hosted_group)
    auth.login(hosted_group.users["eve"])
    assert client.get(f"/groups/expenses/{expense_id}/cancel").status_code == 403
    assert client.get("/groups/expenses/999999/cancel").status_code == 404
    _switch(auth, hosted_group.users["ann"])
    response = client.post(f"/groups/expenses/{expense_id}/cancel", data={"reason": ""})
    assert response.status_code == 200
    assert "Say why the expense should be cancelled" in page_text(response)
    page = page_text(client.post(f"/groups/expenses/{expense_id}/cancel", data={"reason": "Paid by the café"},
                                 follow_redirects=True))
    assert "A second officer needs to agree." in page and "Ann asked to cancel it" in page
    _switch(auth, hosted_group.users["dev"])
    page = page_text(client.post(f"/groups/expenses/{expense_id}/cancel", data={"reason": "Yes"}, follow_redirects=True))
    assert "The expense is cancelled." in page and "Cancelled Paid by the café; Yes" in page


def test_the_claimant_withdraws_from_the_hosting_page(client, auth, app, hosted_group):
    expense_id = _expense(app, hosted_group)
    auth.login(hosted_group.users["eve"])
    assert "Withdraw my claim" in page_text(client.get(f"/groups/hostings/{hosted_group.hosting_id}"))
    page = page_text(client.post(f"/groups/expenses/{expense_id}/withdraw", follow_redirects=True))
    assert "Your claim is withdrawn." in page and "Withdrawn by Eve." in page


def test_a_claim_beyond_the_money_held_shows_as_waiting_for_funds(client, auth, app, hosted_group):
    _receive(app, hosted_group, 1_000)
    expense_id = _expense(app, hosted_group)
    for officer in ("ann", "dev"):
        _switch(auth, hosted_group.users[officer])
        client.post(f"/groups/expenses/{expense_id}/approve")
    _switch(auth, hosted_group.users["hal"])
    page = page_text(client.get(f"/groups/hostings/{hosted_group.hosting_id}"))
    assert "Approved, waiting for funds" in page and "Mark paid" not in page
