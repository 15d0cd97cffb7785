"""Browser journey (issue 19, "Done when", the mark): a coordinator sets up Barnsley's scheme with a
criterion; a club's contact applies with evidence (a future issue date is refused next to its
field); the coordinator assesses and awards; the club's activity shows the mark to the public and
the "mental-health-friendly clubs" filter finds it. Then, at phone width, a worker asks for a
guided first visit from the activity, the club's contact (its lead) accepts it, and the worker
sees it accepted on their starting page."""
import pytest
from playwright.sync_api import expect

from brokerage.core.values.roles import Role
from brokerage.core.values.timeutils import london_today
from brokerage.directory.geo.locations import load_district_centroids
from brokerage.directory.listings.taxonomy import load_taxonomy
from brokerage.extensions import db
from brokerage.partners.people import services as contacts
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.directory.conftest import NOW, Directory

pytestmark = pytest.mark.browser


@pytest.fixture
def club(app, make_user, fixed_now):
    """Penistone Harriers (Barnsley) with a walking football activity and a contact who acts for it."""
    fixed_now(NOW)
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        directory = Directory(make_user)
        partner = directory.partner("Penistone Harriers")
        activity = directory.activity(partner=partner, title="Walking football")
        contact = directory.user(Role.PARTNER_CONTACT, email="sam@example.org", name="Sam Lee")
        contacts.link_account(actor=directory.coordinator, partner=partner, user=contact)
        ids = partner.id, activity.id
        db.session.commit()
    make_user(Role.COORDINATOR, email="casey@example.org", name="Casey Coordinator")
    make_user(Role.CHAMPION, email="wren@example.org", name="Wren Worker")
    return ids


def _no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_club_applies_is_awarded_is_found_and_guides_a_first_visit(page, live_server, club):
    partner_id, activity_id = club
    today = london_today(NOW)
    sign_in(page, live_server, "casey@example.org")
    page.get_by_role("link", name="Mental-health-friendly mark").first.click()
    check_page_basics(page)
    page.get_by_label("Locality").select_option(label="Barnsley")
    page.get_by_label("Scheme name").fill("Moving Mental Health Forward")
    page.get_by_label("What the mark means, in plain words").fill("Coaches here are trained to support your mental health.")
    page.get_by_label("How many months an award lasts").fill("24")
    page.get_by_role("button", name="Set up scheme").click()
    expect(page.locator("main")).to_contain_text("Now add its criteria", use_inner_text=True)
    page.get_by_label("What the criterion asks for").fill("In-date Mental Health First Aid certificates")
    page.get_by_label("How many are needed").fill("0")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.locator("main")).to_contain_text("1 or more", use_inner_text=True)
    expect(page.get_by_label("What the criterion asks for")).to_have_value("In-date Mental Health First Aid certificates")
    page.get_by_label("How many are needed").fill("2")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.locator("main ol")).to_contain_text("(at least 2)", use_inner_text=True)
    page.console_errors.clear()  # the browser logs the 400 answer to the refused criterion
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "sam@example.org")
    page.goto(f"{live_server}/partners/{partner_id}")
    page.get_by_role("link", name="Apply for or renew the mark").click()
    check_page_basics(page)
    page.get_by_label("How you meet it").fill("Sam Lee and Jo Khan, both coaches")
    page.get_by_label("Certificate reference").fill("MHFA-2291")
    page.get_by_label("Date issued").fill(today.replace(year=today.year + 1).isoformat())
    page.get_by_label("Expiry date").fill(today.replace(year=today.year + 2).isoformat())
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".field-error")).to_contain_text("cannot be in the future", use_inner_text=True)
    expect(page.get_by_label("Certificate reference")).to_have_value("MHFA-2291")
    page.get_by_label("Date issued").fill(today.replace(year=today.year - 1).isoformat())
    page.get_by_role("button", name="Send application").click()
    expect(page.locator("main")).to_contain_text("waiting for assessment", use_inner_text=True)
    page.console_errors.clear()  # and the 400 answer to the future issue date
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "casey@example.org")
    page.get_by_role("link", name="Mental-health-friendly mark").first.click()
    page.get_by_role("link", name="Penistone Harriers").click()
    check_page_basics(page)
    page.get_by_label("Met", exact=True).check()
    page.get_by_label("Award expires on").fill(today.replace(year=today.year + 1).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("The mark is awarded.", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server}/activities/{activity_id}")
    expect(page.locator("main")).to_contain_text("Coaches here are trained to support your mental health.",
                                                 use_inner_text=True)
    page.goto(f"{live_server}/activities?q=walking&mark=y")
    expect(page.locator("main")).to_contain_text("1 activity found", use_inner_text=True)
    expect(page.get_by_label("Only mental-health-friendly clubs")).to_be_checked()
    check_page_basics(page)
    expect(page.locator(".card").first).to_contain_text("Mental-health-friendly", use_inner_text=True)

    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "wren@example.org")
    page.goto(f"{live_server}/activities/{activity_id}")
    page.get_by_role("link", name="Ask for a guided first visit").click()
    check_page_basics(page)
    _no_sideways_scrolling(page)
    page.get_by_label("Wed 17 Jun, 6–8pm").check()
    page.get_by_label("A peer buddy").check()
    page.get_by_label("Penistone Harriers and Creative Minds may keep these details and contact me").check()
    page.get_by_role("button", name="Ask for a guided first visit").click()
    expect(page.locator("main")).to_contain_text("Wed 17 Jun, 6–8pm: waiting for the club's answer",
                                                 use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "sam@example.org")
    page.get_by_role("link", name="Penistone Harriers: 1 request waiting").click()
    check_page_basics(page)
    page.get_by_role("link", name="Wren Worker").click()
    check_page_basics(page)
    _no_sideways_scrolling(page)
    page.get_by_label("Accept: we will meet them at this session").check()
    page.get_by_label("Note for the person").fill("Jo, our peer buddy, will meet you at the gate.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("main")).to_contain_text("Your answer is recorded", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "wren@example.org")
    expect(page.locator("main")).to_contain_text("Wed 17 Jun, 6–8pm: accepted: someone will meet you",
                                                 use_inner_text=True)
    expect(page.locator("main")).to_contain_text("Jo, our peer buddy, will meet you at the gate.",
                                                 use_inner_text=True)
    check_page_basics(page)
