"""Browser journey: a champion helps a forming group choose its constitution, adopts it at the
founding meeting, sees the checklist change and opens the printable constitution."""
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.groups.constitution.rules import QUESTIONS
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.groups.conftest import Builder

pytestmark = pytest.mark.browser


def test_champion_takes_a_forming_group_to_an_adopted_constitution(page, live_server, app, make_user, fixed_now):
    fixed_now(datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc))
    champion = make_user(Role.CHAMPION, email="dee@example.org", name="Dee Champion")
    with app.app_context():
        builder = Builder(make_user)
        group, actor = builder.group(actor=db.session.get(User, champion.id))
        builder.members(group, actor, 6)
        group_id = group.id
    sign_in(page, live_server, "dee@example.org")
    page.get_by_role("link", name="Groups", exact=True).click()
    page.get_by_role("link", name="Wakefield Walkers").click()
    expect(page.locator("main")).to_contain_text("0 of 7 done", use_inner_text=True)
    page.get_by_role("link", name="Work on the constitution").click()
    page.get_by_role("link", name="Start").click()
    for question in QUESTIONS:
        expect(page.get_by_role("heading", level=1)).to_have_text(question.title)
        check_page_basics(page)
        page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_contain_text("Proposed constitution of Wakefield Walkers")
    page.goto(f"{live_server}/groups/{group_id}/meetings/founding")
    page.get_by_label("Date of the founding meeting").fill("2026-06-01")
    for box in page.locator("input[name=attendee_ids]").all():
        box.check()
    page.get_by_label("Proposed by").select_option(label="Member A")
    page.get_by_label("Seconded by").select_option(label="Member B")
    page.get_by_label("Votes for").fill("5")
    page.get_by_label("Votes against").fill("1")
    page.get_by_label("Abstentions").fill("0")
    check_page_basics(page)
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Constitution of Wakefield Walkers")
    expect(page.locator(".constitution__clause")).to_have_count(17)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Back to the constitution")).to_be_hidden()
    page.emulate_media(media="screen")
    page.goto(f"{live_server}/groups/{group_id}")
    assert "Constituted" in page.inner_text("main") and "2 of 7 done" in page.inner_text("main")


PHONE = {"width": 390, "height": 844}


def _phone(browser, live_server):
    """A fresh browser at phone width: each person has their own cookies."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def _interest_list(app, make_user) -> tuple[int, str]:
    """An activity of Reds in the Community with four contacted people on its interest list, a
    champion of that partner, and the partner's contact (hal@example.org); answers (activity id, host)."""
    from brokerage.directory.interest import services as interest
    from tests.directory.conftest import NOW, Directory
    from brokerage.directory.geo.locations import load_district_centroids
    from brokerage.directory.listings.taxonomy import load_taxonomy
    from brokerage.partners.champions import services as champions
    from brokerage.partners.people import services as contacts
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        directory = Directory(make_user)
        partner = directory.partner()
        activity = directory.activity(partner=partner)
        for number, name in enumerate(("Ana", "Bo", "Cy", "Di")):
            row = interest.register_interest(activity=activity, first_name=name, contact=f"{name.lower()}@example.org",
                                             consent=True, ip=f"192.0.2.{number + 1}", now=NOW)
            interest.mark_contacted(actor=directory.coordinator, activity=activity, interest_id=row.id, now=NOW)
        champion = directory.user(Role.CHAMPION, email="dee@example.org", name="Dee Champion")
        champions.link_champion(actor=directory.coordinator, partner=partner, champion=champion)
        host = directory.user(Role.PARTNER_CONTACT, email="hal@example.org", name="Hal Host")
        contacts.link_account(actor=directory.coordinator, partner=partner, user=host)
        activity_id = activity.id
        db.session.commit()
        return activity_id, partner.name


def _invite(page, person: str, email: str) -> str:
    page.get_by_label("Person", exact=True).select_option(label=person)
    page.get_by_label("Their email address").fill(email)
    page.get_by_role("button", name="Give them an account").click()
    notice = page.locator(".notice--success")
    expect(notice).to_contain_text("is invited")
    return notice.inner_text().split("give them this link: ")[1].strip()


def _set_password(browser, live_server, link: str, email: str):
    page = _phone(browser, live_server)
    page.goto(link)
    page.get_by_label("New password", exact=True).fill("a long walk by the canal")
    page.get_by_label("Type the new password again").fill("a long walk by the canal")
    page.get_by_role("button").filter(has_text="password").first.click()
    expect(page.locator("h1")).not_to_have_text("Set your password")
    if "/login" in page.url:
        sign_in(page, live_server, email, "a long walk by the canal")
    return page


def _claim(page, hosting_url: str, what: str, pounds: str, claimant: str) -> None:
    page.goto(hosting_url)
    page.get_by_role("link", name="Claim an expense").click()
    page.get_by_label("What the money was spent on").fill(what)
    page.get_by_label("Amount, in pounds").fill(pounds)
    page.get_by_label("Who is claiming the money").select_option(label=claimant)
    page.get_by_role("button", name="Submit the expense").click()
    expect(page.locator(".notice--success")).to_contain_text("Two officers need to approve it")


def _row(page, what: str):
    """The expense's row in the expenses table (the money history repeats a paid expense's words)."""
    return page.locator("section[aria-labelledby=expenses-heading] tr", has_text=what)


def test_a_peer_led_group_runs_itself_from_interest_list_to_graduation_at_phone_width(
        browser, live_server, app, make_user, fixed_now):
    fixed_now(datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc))
    activity_id, host_name = _interest_list(app, make_user)

    # A champion starts the group from the interest list, with four founding members in one go.
    dee = _phone(browser, live_server)
    sign_in(dee, live_server, "dee@example.org")
    dee.goto(f"{live_server}/activities/{activity_id}/interest/group")
    dee.get_by_label("Name of the new group").fill("Barnsley Walkers")
    for name in ("Ana", "Bo", "Cy", "Di"):
        dee.get_by_label(f"{name} ({name.lower()}@example.org)").check()
    dee.get_by_label("Everyone I have chosen has agreed").check()
    check_page_basics(dee)
    dee.get_by_role("button", name="Start the group").click()
    expect(dee.locator(".notice--success")).to_contain_text("Started Barnsley Walkers with 4 founding members")
    group_url = dee.url

    # The champion invites two founders, who set their passwords.
    dee.get_by_role("link", name="Members, committee, officers and signatories").click()
    check_page_basics(dee)
    ana_link, bo_link = _invite(dee, "Ana", "ana@example.org"), _invite(dee, "Bo", "bo@example.org")
    ana = _set_password(browser, live_server, ana_link, "ana@example.org")
    bo = _set_password(browser, live_server, bo_link, "bo@example.org")

    # Ana answers the constitution's questions: the quorum question warns of the default and proposes 3.
    ana.goto(f"{live_server}/dashboard")
    ana.get_by_role("link", name="Your group").first.click()
    expect(ana.locator("h1")).to_have_text("Barnsley Walkers")
    ana.get_by_role("link", name="Constitution").first.click()
    ana.get_by_role("link", name="Start").click()
    for question in QUESTIONS:
        expect(ana.locator("h1")).to_have_text(question.title)
        if question.slug == "quorum":
            expect(ana.locator("main")).to_contain_text("4 members, fewer than the quorum of 5")
            expect(ana.get_by_label("Smallest number of members present")).to_have_value("3")
        if question.slug == "amendments":
            expect(ana.get_by_label("A simple majority", exact=False)).to_have_count(0)
        check_page_basics(ana)
        ana.get_by_role("button", name="Save and continue").click()
    expect(ana.locator("h1")).to_contain_text("Proposed constitution of Barnsley Walkers")

    # They adopt it at the founding meeting.
    ana.goto(group_url)
    ana.get_by_role("link", name="Record the founding meeting").click()
    ana.get_by_label("Date of the founding meeting").fill("2026-06-12")
    for box in ana.locator("input[name=attendee_ids]").all():
        box.check()
    ana.get_by_label("Proposed by").select_option(label="Ana")
    ana.get_by_label("Seconded by").select_option(label="Bo")
    ana.get_by_label("Votes for").fill("4")
    ana.get_by_label("Votes against").fill("0")
    ana.get_by_label("Abstentions").fill("0")
    ana.get_by_role("button", name="Record meeting").click()
    expect(ana.locator("h1")).to_have_text("Constitution of Barnsley Walkers")

    # They record officers: one person in every office is refused, with the reason at the office.
    ana.goto(group_url)
    ana.get_by_role("link", name="Members, committee, officers and signatories").click()
    for office in ("Chair", "Secretary", "Treasurer"):
        ana.get_by_label(office).select_option(label="Ana")
    ana.get_by_role("button", name="Save officers").click()
    expect(ana.locator(".error-summary")).to_contain_text("three different people")
    for office, person in (("Chair", "Ana"), ("Secretary", "Bo"), ("Treasurer", "Cy")):
        ana.get_by_label(office).select_option(label=person)
    ana.get_by_role("button", name="Save officers").click()
    expect(ana.locator(".notice--success")).to_contain_text("The officers are saved.")

    # The group applies to the host partner, which approves and records a grant.
    ana.goto(group_url)
    ana.get_by_role("link", name="Ask a partner to host the group").click()
    ana.get_by_label("Partner to ask").select_option(label=host_name)
    ana.get_by_role("button", name="Send the application").click()
    expect(ana.locator(".notice--success")).to_contain_text("The application is sent")
    hosting_url = ana.url
    hal = _phone(browser, live_server)
    sign_in(hal, live_server, "hal@example.org")
    hal.goto(hosting_url)
    hal.get_by_role("link", name="Agree to host the group, or decline").click()
    hal.get_by_label("Agree to host the group").check()
    hal.get_by_label("Agreement starts").fill("2026-06-15")
    hal.get_by_label("Agreement expires").fill("2027-06-14")
    hal.get_by_role("button", name="Record the decision").click()
    expect(hal.locator(".notice--success")).to_contain_text("The decision is recorded.")
    hal.get_by_role("link", name="Record money received").click()
    hal.get_by_label("Amount received, in pounds").fill("50")
    hal.get_by_label("Date received").fill("2026-06-15")
    hal.get_by_role("button", name="Record the money").click()
    expect(hal.locator("main")).to_contain_text("£50")

    # A claim is approved by two unrelated officers from their own accounts, and paid.
    _claim(dee, hosting_url, "Tea and biscuits", "20", "Di")
    for officer in (ana, bo):
        officer.goto(hosting_url)
        _row(officer, "Tea and biscuits").get_by_role("button", name="Approve").click()
        expect(officer.locator(".notice--success")).to_contain_text("Your approval is recorded.")
    hal.goto(hosting_url)
    expect(_row(hal, "Tea and biscuits")).to_contain_text("Approved, ready to pay")
    _row(hal, "Tea and biscuits").get_by_role("button", name="Mark paid").click()
    expect(_row(hal, "Tea and biscuits")).to_contain_text("Paid")

    # A claim too large waits for funds, and two officers cancel it with a reason.
    _claim(dee, hosting_url, "Minibus hire", "400", "Di")
    for officer in (ana, bo):
        officer.goto(hosting_url)
        _row(officer, "Minibus hire").get_by_role("button", name="Approve").click()
    expect(_row(bo, "Minibus hire")).to_contain_text("Approved, waiting for funds")
    for officer in (ana, bo):
        officer.goto(hosting_url)
        _row(officer, "Minibus hire").get_by_role("link", name="Cancel").click()
        check_page_basics(officer)
        officer.get_by_label("Why should it be cancelled?").fill("The council lends us its minibus free")
        officer.get_by_role("button", name="Cancel the expense").click()
    expect(_row(bo, "Minibus hire")).to_contain_text("Cancelled")

    # With its own bank account open, the group graduates.
    ana.goto(group_url)
    ana.get_by_role("link", name="Bank account", exact=True).click()
    ana.get_by_label("Open").check()
    ana.get_by_label("Name on the account").fill("Barnsley Walkers")
    ana.get_by_label("Last 4 digits of the account number").fill("4821")
    ana.get_by_role("button", name="Save bank account").click()
    hal.goto(hosting_url)
    hal.get_by_role("link", name="Graduate the group to its own account").click()
    check_page_basics(hal)
    hal.get_by_role("button", name="Confirm the transfer and end hosting").click()
    expect(hal.locator(".notice--success")).to_contain_text("Barnsley Walkers has graduated to its own account.")
    for person in (dee, ana, bo, hal):
        assert person.console_errors == []
        assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
