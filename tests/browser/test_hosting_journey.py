"""Browser journey: a partner's contact agrees to host a group from the partner page, records money
received, and the group's members see the balance while the group shows as hosted."""
import pytest
from playwright.sync_api import expect

from brokerage.accounts.models import User
from brokerage.extensions import db
from brokerage.groups.hosting import services as hosting
from brokerage.groups.models import Group, Hosting
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.groups.conftest import hosted_group, now_fixed  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_host_agrees_to_host_a_group_and_records_money(page, live_server, app, hosted_group):  # noqa: F811
    with app.app_context():
        db.session.get(Hosting, hosted_group.hosting_id).status = "rejected"
        db.session.commit()
        hosting.apply_for_hosting(actor=db.session.get(User, hosted_group.champion.id),
                                  group=db.session.get(Group, hosted_group.group_id),
                                  partner_id=hosted_group.partner_id, request="Please hold our grant.")
    sign_in(page, live_server, "hal@example.org")
    page.goto(f"{live_server}/partners/{hosted_group.partner_id}")
    expect(page.locator("main")).to_contain_text("Asking to be hosted", use_inner_text=True)
    page.get_by_role("link", name="Wakefield Walkers").click()
    page.get_by_role("link", name="Agree to host the group, or decline").click()
    check_page_basics(page)
    page.get_by_label("Agree to host the group").check()
    page.get_by_label("Agreement starts").fill("2026-06-01")
    page.get_by_label("Agreement expires").fill("2027-05-31")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Hosting", use_inner_text=True)
    page.get_by_role("link", name="Record money received").click()
    check_page_basics(page)
    page.get_by_label("Amount received, in pounds").fill("250")
    page.get_by_label("Date received").fill("2026-06-12")
    page.get_by_role("button", name="Record the money").click()
    expect(page.locator("main")).to_contain_text("£250", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "ann@example.org")
    page.goto(f"{live_server}/groups/{hosted_group.group_id}")
    expect(page.locator("main")).to_contain_text("Hosted by a partner", use_inner_text=True)
    check_page_basics(page)
