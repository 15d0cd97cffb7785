"""Browser journey: a partner contact works out the match award as they type (the figures
script and its live region), submits the bid, and a coordinator picks it up for screening."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_smoke import check_page_basics, sign_in
from tests.collectives.conftest import add_member, collectives, funded, make_bid, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]


def test_partner_sees_the_match_award_update_as_they_type_then_submits(page, live_server, world, make_bid):
    bid_id = make_bid()  # £6,000 confirmed; the Barnsley fund holds £50,000; the cap is £5,000
    sign_in(page, live_server, "lee@example.org")
    page.goto(f"{live_server}/bids/{bid_id}/edit")
    check_page_basics(page)
    page.get_by_label("Amount requested from the collective, in pounds").fill("7,000")
    figures = page.locator("[data-figures-output]")
    expect(figures).to_contain_text("Match award: £5,000")
    expect(page.locator("[data-figures-live]")).to_contain_text("Match award £5,000 for £7,000 requested.")
    page.get_by_label("Amount requested from the collective, in pounds").fill("4,000")
    expect(figures).to_contain_text("Match award: £4,000")
    page.get_by_role("button", name="Save draft").click()
    # waits for the bid's page: read at once, the heading could still be the form's (CI, 6 December)
    expect(page.get_by_role("heading", level=1)).to_have_text("Memory group at the stadium")
    page.get_by_role("button", name="Submit the bid").click()
    expect(page.locator("main")).to_contain_text("Your bid has been submitted", use_inner_text=True)
    check_page_basics(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "casey@example.org")
    page.get_by_role("link", name="Bids to screen").click()
    page.get_by_role("link", name="Memory group at the stadium").click()
    page.get_by_role("button", name="Start screening").click()
    expect(page.locator("main")).to_contain_text("Being screened", use_inner_text=True)
