"""Browser journey from a gap to a funded call (issue 19, "Done when", items 1 to 3), at phone
width: on Barnsley's gaps page the coordinator sees that S70 has no evening activities and that
searches for "climbing" near S70 found nothing 7 times this month, follows that gap's link to the
call form filled in with its district and category, and issues a call; a partner contact finds it
on their starting page and answers it with a bid; the bid goes through the collective's vote and
is approved; the call's page shows the bid, the decision and the money. (The gaps page's own
figures, sorting and CSV are test_gaps_journey's.)"""
from datetime import date

import pytest
from playwright.sync_api import expect

from brokerage.directory.listings.taxonomy import load_taxonomy
from brokerage.directory.search.misses.models import SearchMiss
from brokerage.extensions import db
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.browser.test_vote_journey import TITLE, answer_and_vote, declare_interest, sign_out, submit_screen_and_open
from tests.collectives.conftest import add_member, collectives, electorate, funded, make_bid, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]
CALL = "Evening climbing for young people near S70"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def climbing_misses(app, collectives):  # noqa: F811
    """The shipped categories, and searches for "climbing" near S70 (Barnsley) that found
    nothing, 7 times this month (fixed_now is 15 June 2026), as the public search counts them."""
    with app.app_context():
        load_taxonomy()
        db.session.add(SearchMiss(month=date(2026, 6, 1), district="S70", category="", days="", times="",
                                  words="climbing", searches=7))
        db.session.commit()


def _misses_row(page, district: str):
    return page.locator("section[aria-labelledby='misses-heading'] tbody tr").filter(
        has=page.get_by_role("rowheader", name=district, exact=True))


def issue_call_for_the_gap(page, base: str) -> None:
    sign_in(page, base, "casey@example.org")
    page.goto(f"{base}/collectives/barnsley/gaps")
    check_page_basics(page)
    s70 = page.locator("section[aria-labelledby='districts-heading'] tbody tr").filter(
        has=page.get_by_role("rowheader", name="S70", exact=True))
    expect(s70.locator("td").nth(3)).to_have_text("0 (a gap)", use_inner_text=True)  # meet in the evening
    climbing = _misses_row(page, "S70")
    expect(climbing.locator("td:not(:last-child)")).to_have_text(["Climbing", "“climbing”", "Any day", "Any time",
                                                                  "7"], use_inner_text=True)
    climbing.get_by_role("link", name="Start a call for bids for this gap").click()
    check_page_basics(page)
    expect(page.get_by_label("Postcode districts (optional)")).to_have_value("S70")
    expect(page.get_by_label("Kind of activity (optional)")).to_have_value("Climbing")
    page.get_by_label("Title of the call").fill(CALL)
    page.get_by_label("What does the collective want partners to offer?").fill("Something to do on weekday evenings.")
    page.get_by_label("Up to how much can a bid ask for, in pounds?").fill("60,000")
    page.get_by_label("Closing date").fill("2026-07-31")
    page.get_by_role("button", name="Open the call for bids").click()
    assert page.title().startswith("Error:")  # more than the fund's £50,000 available
    assert "The fund has £50,000 available this financial year" in page.inner_text("main")
    page.console_errors.clear()  # the 400 answer is logged by the browser
    page.get_by_label("Up to how much can a bid ask for, in pounds?").fill("4,000")
    page.get_by_role("button", name="Open the call for bids").click()
    expect(page.locator("main")).to_contain_text("The call for bids is open.", use_inner_text=True)
    assert "up to £4,000" in page.inner_text("main") and "31 July 2026" in page.inner_text("main")
    sign_out(page)


def answer_call(page, base: str) -> int:
    sign_in(page, base, "lee@example.org")
    page.get_by_role("link", name=CALL).click()  # on the starting page: open calls in Reds' locality
    check_page_basics(page)
    page.get_by_role("link", name="Answer this call").click()
    check_page_basics(page)
    expect(page.get_by_label(CALL, exact=False)).to_be_checked()
    page.get_by_label("Project title").fill(TITLE)
    page.get_by_label("Summary of the project").fill("Youth nights at the stadium, twice a week.")
    page.get_by_label("Who is it for?").fill("Young people aged 13 to 19.")
    page.get_by_label("How will you reach them?").fill("Schools and youth workers.")
    page.get_by_label("Start date").fill("2026-09-01")
    page.get_by_label("End date").fill("2027-03-31")
    page.get_by_label("How many people do you expect to take part?").fill("30")
    page.get_by_label("Total project cost, in pounds").fill("10,000")
    page.get_by_label("Amount requested from the collective, in pounds").fill("4,000")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator("main")).to_contain_text("This bid answers the Barnsley collective's call for bids",
                                                 use_inner_text=True)
    bid_id = int(page.url.rstrip("/").split("/")[-1])
    page.get_by_role("link", name="Add match funding").click()
    page.get_by_label("Where does this money come from?").fill("Club foundation")
    page.get_by_label("Amount, in pounds").fill("6,000")
    page.get_by_label("Confirmed: confirmed in writing").check()
    page.get_by_role("button", name="Add").first.click()
    expect(page.locator("main")).to_contain_text("Match funding added.", use_inner_text=True)
    sign_out(page)
    return bid_id


def test_a_gap_becomes_a_call_a_partner_answers_and_the_collective_approves(phone, live_server, world,  # noqa: F811
                                                                             electorate, climbing_misses):  # noqa: F811
    issue_call_for_the_gap(phone, live_server)
    bid_id = answer_call(phone, live_server)
    submit_screen_and_open(phone, live_server, bid_id)
    declare_interest(phone, live_server, electorate["Ed Community"].email)
    for name in ("Pat Barnsley", "Ash Carer", "Bo Staff"):
        answer_and_vote(phone, live_server, electorate[name].email, "Support")
    text = answer_and_vote(phone, live_server, electorate["Di Community"].email, "Support")
    assert "Approved" in text and "Answers the call for bids" in text

    sign_in(phone, live_server, "casey@example.org")
    phone.goto(f"{live_server}/calls")
    phone.get_by_role("link", name=CALL).click()
    check_page_basics(phone)
    progress = phone.get_by_role("table").inner_text()
    assert TITLE in progress and "Approved" in progress and "£4,000" in progress
    assert "1 bid has answered it; 1 approved; £4,000 awarded and £0 paid." in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
