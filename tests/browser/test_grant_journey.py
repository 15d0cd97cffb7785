"""Browser journey after the decision: the coordinator records the signed grant agreement and
pays the award in full, the partner sends the end-of-grant report, the coordinator closes the
grant; the bid's history shows every step."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_smoke import check_page_basics, sign_in
from tests.collectives.bids.helpers import NOW
from tests.collectives.conftest import (add_member, collectives, electorate, funded, make_bid,  # noqa: F401
                                        open_poll, poll_id, world)
from tests.collectives.grants.conftest import approved  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_grant_goes_from_agreement_to_closed(page, live_server, world, approved, fixed_now):
    fixed_now(NOW + timedelta(days=10))
    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/bids/{approved}")
    page.get_by_role("link", name="Record the grant agreement").click()
    check_page_basics(page)
    page.get_by_label("Date the partner signed the grant agreement").fill("2026-06-20")
    page.get_by_label("Who signed it for the partner?").fill("Lee Reds, Director")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.locator("main")).to_contain_text("Signed on 20 June 2026 by Lee Reds, Director", use_inner_text=True)
    page.get_by_role("link", name="Record a payment").click()
    page.get_by_label("Amount paid, in pounds").fill("4,000")
    page.get_by_label("Yes").check()
    page.get_by_label("Date the partner's funds were received").fill("2026-06-01")
    page.get_by_label("Invoice reference").fill("INV-12")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator("main")).to_contain_text("Left to pay\n£0", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "lee@example.org")
    page.goto(f"{live_server}/bids/{approved}")
    page.get_by_role("link", name="Send the end-of-grant report").click()
    check_page_basics(page)
    page.get_by_label("How many people took part?").fill("lots")
    page.get_by_role("button", name="Send the report").click()
    assert page.title().startswith("Error:") and "Enter a whole number, like 20." in page.inner_text("main")
    page.console_errors.clear()  # the 400 answer to the bad report is logged by the browser
    page.get_by_label("How many people took part?").fill("18")
    page.get_by_label("What did the project do").fill("Eighteen people came most weeks.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("main")).to_contain_text("18 people took part", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/bids/{approved}")
    page.get_by_role("link", name="Close the grant").click()
    check_page_basics(page)
    page.get_by_role("button", name="Close the grant").click()
    text = page.inner_text("main")
    assert "The grant is closed." in text
    history = page.locator("ul.history").inner_text()
    for label in ("Agreement signed", "Paid", "Reported", "Closed"):
        assert label in history
