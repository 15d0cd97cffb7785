"""Browser journey for issue 4's "done when": a partner submits a bid, a coordinator screens it
and opens the vote, members answer the question about connections (one declares an interest
and is recused) and vote, the vote closes early once the result cannot change, the partner
sees the decision, and the collective page's money figures and ledger show the commitment."""
import pytest
from playwright.sync_api import expect

from tests.browser.test_smoke import check_page_basics, sign_in
from tests.collectives.conftest import add_member, collectives, electorate, funded, make_bid, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]
TITLE = "Memory group at the stadium"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def answer_and_vote(page, base: str, email: str, choice: str) -> str:
    """A member signs in, finds the bid in their "To vote" list, says they have no connection
    and votes. -> the text of the page after voting."""
    sign_in(page, base, email)
    page.get_by_role("link", name="Your collectives").click()
    page.get_by_role("link", name=TITLE).click()
    check_page_basics(page)
    page.get_by_label("No, I have no connection to declare").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(choice, exact=False).first.check()
    page.get_by_role("button", name="Cast my vote").click()
    text = page.inner_text("main")
    sign_out(page)
    return text


def declare_interest(page, base: str, email: str) -> str:
    sign_in(page, base, email)
    page.get_by_role("link", name="Your collectives").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Yes, I have a connection with this organisation or project").check()
    page.get_by_label("Describe the connection in a few words").fill("I volunteer at the club on match days.")
    page.get_by_role("button", name="Continue").click()
    text = page.inner_text("main")
    sign_out(page)
    return text


def submit_screen_and_open(page, base: str, bid_id: int) -> None:
    sign_in(page, base, "lee@example.org")
    page.goto(f"{base}/bids/{bid_id}")
    page.get_by_role("button", name="Submit the bid").click()
    expect(page.locator("main")).to_contain_text("Your bid has been submitted", use_inner_text=True)
    sign_out(page)
    sign_in(page, base, "casey@example.org")
    page.get_by_role("link", name="Bids to screen").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Start screening").click()
    page.get_by_role("button", name="Ready for the vote").click()
    page.get_by_role("link", name="Open the vote").click()
    check_page_basics(page)
    page.get_by_label("How long the vote stays open").select_option("3")
    page.get_by_role("button", name="Open the vote").click()
    expect(page.locator("main")).to_contain_text("The vote is open.", use_inner_text=True)
    page.goto(f"{base}/collectives/barnsley")
    expect(page.locator("main")).to_contain_text("Set aside for bids being voted on\n£4,000", use_inner_text=True)
    sign_out(page)


def test_a_bid_goes_from_submission_to_a_decision_that_lands_in_the_ledger(page, live_server, world, electorate,
                                                                          make_bid):
    bid_id = make_bid()  # £10,000 project, £4,000 requested, £6,000 confirmed; Barnsley holds £50,000
    submit_screen_and_open(page, live_server, bid_id)

    recused = declare_interest(page, live_server, electorate["Ed Community"].email)
    assert "You will not vote on this bid, and you are not counted when working out the quorum" in recused
    for name in ("Pat Barnsley", "Ash Carer", "Bo Staff"):
        text = answer_and_vote(page, live_server, electorate[name].email, "Support")
        assert "You voted: Support" in text and "Results are shown to everyone only when the vote closes" in text
    # 3 of 6 eligible have voted; the 3 still to vote could make it a tie, so the vote stays open.
    text = answer_and_vote(page, live_server, electorate["Di Community"].email, "Support")
    assert "Decision" in text and "Approved" in text  # 4 in support: nothing left can change it

    sign_in(page, live_server, "lee@example.org")
    page.goto(f"{live_server}/bids/{bid_id}")
    text = page.inner_text("main")
    assert "Approved" in text and "Enough people voted." in text
    sign_out(page)

    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/collectives/barnsley")
    check_page_basics(page)
    money = page.inner_text("main")
    for figure in ("Allocated\n£50,000", "Set aside for bids being voted on\n£0", "Committed to approved bids\n£4,000",
                   "Paid\n£0", "Available\n£46,000"):
        assert figure in money
    ledger = page.get_by_role("table", name="Latest ledger entries").inner_text()
    assert "Money committed to an approved bid (see entry" in ledger and "bid " in ledger
