"""Browser journeys for issue 23's "done when", at phone width: a partner submits; a coordinator
screens and opens the vote; a chair with no connection runs the meeting from a phone (members
present declare and vote, one absent member is recorded by telephone with a reason, a member with
a connection is recused); the decision lands with one award figure, the record says who recorded
what, and the ledger shows the commitment. Second: a tie defers the bid, the partner answers the
members' questions, and the bid is listed again and decided."""
import pytest
from playwright.sync_api import expect

from datetime import timedelta

from tests.browser.test_smoke import check_page_basics, sign_in
from tests.browser.test_vote_journey import TITLE, answer_and_vote, sign_out, submit_screen_and_open
from tests.collectives.conftest import add_member, collectives, electorate, funded, make_bid, world  # noqa: F401
from tests.collectives.voting.helpers import CLOSES

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    """A page in a phone-sized window, collecting script errors like the `page` fixture."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def fits(page, width: int = PHONE["width"]) -> None:
    """Nothing on the page is wider than the screen."""
    page.set_viewport_size({"width": width, "height": PHONE["height"]})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1 && !(el.parentElement && el.parentElement.closest('.table-wrap')))
        .map(el => el.tagName + '.' + el.className + ':' + el.textContent.slice(0, 40))""")
    page.set_viewport_size(PHONE)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a {width}px screen: {wide[:5]}"


def main(page):
    return expect(page.locator("main"))


def vote_with_comment(page, base: str, email: str, choice: str, comment: str) -> None:
    """A member answers "no connection" and votes online, with a comment (a question, if deferred)."""
    sign_in(page, base, email)
    page.get_by_role("link", name="Your collectives").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("No, I have no connection to declare").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(choice, exact=False).first.check()
    page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Cast my vote").click()
    main(page).to_contain_text("You voted:", use_inner_text=True)
    sign_out(page)


def record_in_meeting(page, name: str, connection: str | None, choice: str | None) -> None:
    """The chair records a present member's answer about connections and, if given, their vote."""
    page.get_by_label("Member present").select_option(label=name)
    form = page.locator("form", has=page.get_by_role("button", name="Record", exact=True))
    if connection is None:
        form.get_by_label("No, I have no connection to declare").check()
    else:
        form.get_by_label("Yes, I have a connection with this organisation or project").check()
        form.get_by_label("Describe the connection in a few words").fill(connection)
    if choice:
        form.get_by_label(choice, exact=False).first.check()
    form.get_by_role("button", name="Record", exact=True).click()
    main(page).to_contain_text(f"Recorded for {name}", use_inner_text=True)


def test_a_chair_runs_a_meeting_from_a_phone_and_the_decision_lands_in_the_ledger(
        phone, live_server, world, electorate, make_bid):
    page = phone
    bid_id = make_bid()  # £4,000 requested, £6,000 confirmed; Barnsley holds £50,000
    sign_in(page, live_server, "lee@example.org")
    page.goto(f"{live_server}/bids/{bid_id}")  # the draft, with its wide figures table
    main(page).to_contain_text("How the match award is worked out", use_inner_text=True)
    fits(page, 320)
    sign_out(page)
    submit_screen_and_open(page, live_server, bid_id)

    # The chair answers for themself first, then opens meeting mode from the vote page.
    sign_in(page, live_server, electorate.chair.email)
    page.get_by_role("link", name="Your collectives").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("No, I have no connection to declare").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Meeting mode: record who is present and their votes").click()
    check_page_basics(page)
    fits(page)
    fits(page, 320)

    # Attendance by keyboard: tick with the space bar, send with Enter.
    for name in ("Ash Carer", "Bo Staff", "Di Community", "Ed Community"):
        page.get_by_label(name).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Record as present").focus()
    page.keyboard.press("Enter")
    main(page).to_contain_text("4 recorded as present.", use_inner_text=True)

    record_in_meeting(page, "Ed Community", "Trustee of the club", None)
    main(page).to_contain_text("Ed Community: declared a connection, does not vote", use_inner_text=True)
    record_in_meeting(page, "Ash Carer", None, None)  # the declaration first; the vote follows
    main(page).to_contain_text("Ash Carer: no connection, not voted yet", use_inner_text=True)
    record_in_meeting(page, "Ash Carer", None, "Support")
    record_in_meeting(page, "Bo Staff", None, "Support")
    record_in_meeting(page, "Di Community", None, "Support")
    check_page_basics(page)
    fits(page)

    # Pat is not at the meeting: their answer and vote are taken by telephone, with the reason.
    page.get_by_role("link", name="record an answer and vote on a member's behalf").click()
    check_page_basics(page)
    fits(page)
    page.get_by_label("Member", exact=True).select_option(label="Pat Barnsley")
    page.get_by_label("No, I have no connection to declare").check()
    page.get_by_label("Support", exact=True).check()
    page.get_by_label("Why the vote is recorded for them").fill("By telephone during the meeting")
    page.get_by_role("button", name="Record on their behalf").click()
    main(page).to_contain_text("They are told by email", use_inner_text=True)
    sign_out(page)

    # 4 in support of 6 eligible (Ed is recused): nothing left can change it, so it is decided.
    sign_in(page, live_server, "lee@example.org")
    page.goto(f"{live_server}/bids/{bid_id}")
    main(page).to_contain_text("Match award committed\n£4,000", use_inner_text=True)
    main(page).to_contain_text("Approved", use_inner_text=True)
    expect(page.locator("main")).not_to_contain_text("if decided today")
    check_page_basics(page)
    fits(page)
    page.get_by_role("link", name="Decision record", exact=False).first.click()
    record = page.get_by_role("region", name="Members eligible when the vote opened")
    expect(record).to_contain_text("Vote recorded on their behalf by Flo Chair: By telephone during the meeting")
    expect(record).to_contain_text("Vote recorded at the meeting by Flo Chair")
    expect(record).to_contain_text("Declared a connection (did not vote): Trustee of the club")
    check_page_basics(page)
    fits(page)
    sign_out(page)

    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/collectives/barnsley")
    main(page).to_contain_text("Committed to approved bids\n£4,000", use_inner_text=True)
    expect(page.get_by_role("table", name="Latest ledger entries")).to_contain_text("Money committed to an approved bid")
    expect(page.get_by_role("img", name="Of £50,000 allocated", exact=False)).to_have_count(1)
    fits(page)
    fits(page, 320)
    page.get_by_role("region", name="Latest ledger entries").focus()  # the wide ledger scrolls by keyboard
    page.keyboard.press("ArrowRight")


def test_a_tie_defers_the_bid_the_partner_answers_and_it_is_listed_again_and_decided(
        phone, live_server, world, electorate, make_bid, fixed_now):
    page = phone
    bid_id = make_bid()
    submit_screen_and_open(page, live_server, bid_id)
    for name, choice, comment in (("Pat Barnsley", "Support", ""), ("Ash Carer", "Oppose", "Who runs the sessions?"),
                                  ("Bo Staff", "Support", ""), ("Di Community", "Oppose", "Is the stadium step-free?")):
        vote_with_comment(page, live_server, electorate[name].email, choice, comment)
    fixed_now(CLOSES + timedelta(minutes=1))  # the vote's three days are over: the next page closes it
    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/bids/{bid_id}")
    main(page).to_contain_text("Deferred", use_inner_text=True)
    sign_out(page)

    # The partner answers each question from their to-do list, and changes the bid.
    sign_in(page, live_server, "lee@example.org")
    page.get_by_role("link", name=f"Answer the members' questions about {TITLE}").click()
    check_page_basics(page)
    fits(page)
    page.get_by_label("Question 1: Who runs the sessions?").fill("Two trained volunteers from the club")
    page.get_by_label("Question 2: Is the stadium step-free?").fill("Yes: the lounge has a lift")
    page.get_by_role("button", name="Send the answers").click()
    main(page).to_contain_text("The members will see your answers", use_inner_text=True)
    page.get_by_role("link", name="Change the bid").click()
    page.get_by_label("Who is it for?").fill("People living with memory loss and the people who care for them")
    page.get_by_role("button", name="Save").first.click()
    main(page).to_contain_text("Changes saved.", use_inner_text=True)
    sign_out(page)

    # A coordinator lists it again; members see the answers beside the questions, and decide.
    sign_in(page, live_server, "casey@example.org")
    page.goto(f"{live_server}/bids/{bid_id}/vote/open")
    page.get_by_role("button", name="Open the vote").click()
    main(page).to_contain_text("The vote is open.", use_inner_text=True)
    sign_out(page)
    sign_in(page, live_server, electorate["Di Community"].email)
    page.get_by_role("link", name="Your collectives").click()
    page.get_by_role("link", name=TITLE).click()
    main(page).to_contain_text("The first time this bid was listed", use_inner_text=True)
    main(page).to_contain_text("Is the stadium step-free?\nYes: the lounge has a lift", use_inner_text=True)
    main(page).to_contain_text("the people who care for them", use_inner_text=True)
    fits(page)
    sign_out(page)
    for name in ("Pat Barnsley", "Ash Carer", "Bo Staff", "Di Community"):
        text = answer_and_vote(page, live_server, electorate[name].email, "Support")
    assert "Approved" in text

