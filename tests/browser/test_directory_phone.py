"""The directory on a real phone (390 px wide, JavaScript off), with the demo data and two more
listings: a walking netball session run by the Good Mood Football League and a printmaking
group that next meets in four months. A search opens on its results; "football" lists football
first; "Next" names a date months away; a printed shortlist stands alone. Then axe checks the
public pages at 320 and 390 px (no serious or critical violations)."""
import re
from datetime import date, time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.listings.services import ActivityDetails, Venue, create_activity
from brokerage.directory.models import TaxonomyTerm
from brokerage.extensions import db
from brokerage.partners.models import Partner
from tests.browser.test_directory_journey import CHAMPION, NOW, demo  # noqa: F401 (a fixture)
from tests.browser.test_smoke import sign_in
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SMALLEST = {"width": 320, "height": 640}
AXE = Path(__file__).resolve().parents[2] / "checkers" / "node_modules" / "axe-core" / "axe.min.js"
PRINTMAKING = "Printmaking in the autumn"


def _listing(partner: str, title: str, categories: tuple[str, ...], schedule: Schedule, **fields) -> None:
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@demo.creativeminds.example"))
    provider = db.session.scalar(select(Partner.id).where(Partner.name == partner))
    terms = tuple(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.code.in_(categories))))
    create_activity(actor=coordinator, provider_key=f"partner-{provider}", now=NOW, details=ActivityDetails(
        title=title, category_ids=terms, schedule=schedule, join_methods=("booking",), **fields))


@pytest.fixture
def listings(app, demo):  # noqa: F811 (the fixture imported above)
    with app.app_context():
        _listing("Good Mood Football League", "Walking netball", ("walking-netball",),
                 Schedule(frequency="weekly", start_date=date(2026, 6, 16), start_time=time(10), end_time=time(11)),
                 description="Netball at a walking pace.",
                 venue=Venue(name="Batley Sports Centre", postcode="WF13 2SE", address_1="Cambridge Street",
                             city="Batley"))
        _listing("Halifax Arts Café", PRINTMAKING, ("crafts",),
                 Schedule(frequency="monthly", start_date=date(2026, 10, 1), start_time=time(14),
                          end_time=time(16), weekday=0, week_of_month=2),
                 description="Lino printing with a tutor, from October.", cost_kind="price", cost_amount=500,
                 contact_name="Mel", contact_phone="01422 000000",
                 venue=Venue(name="Halifax Arts Café", postcode="HX1 1QG", address_1="12 Westgate", city="Halifax"))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def phone_without_javascript(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _search(page, words: str, postcode: str = "", distance: str = "", *, folded: bool = True) -> None:
    """Fill the form (folded under "Change your search" after the first search) and send it."""
    if folded:
        page.locator("details.search-again > summary").click()
    page.get_by_label("What would you like to do?").fill(words)
    page.get_by_label("Postcode").fill(postcode)
    if distance:
        page.get_by_label("Distance in miles").fill(distance)
    page.get_by_role("button", name="Search").click()


def _in_first_screen(locator) -> None:
    expect(locator).to_be_in_viewport()
    box = locator.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"], box


def test_a_phone_without_javascript_finds_art_football_and_a_date_months_away_and_prints_a_shortlist(
        listings, phone_without_javascript, live_server):
    page = phone_without_javascript
    page.goto(live_server + "/activities")
    _search(page, "art", "HD1 2QA", "10", folded=False)
    expect(page.locator("#results-heading")).to_have_text("Art near HD1 2QA, within 10 miles")
    expect(page.locator(".results__count")).to_contain_text(re.compile(r"\d+ activities found, best match first"))
    expect(page.locator(".results__count")).to_contain_text("Distances are from the centre of HD1")
    _in_first_screen(page.locator(".results__count"))
    _in_first_screen(page.locator(".card").first)
    expect(page.locator("details.search-again")).not_to_have_attribute("open", "")

    _search(page, "football")
    expect(page.locator("#results-heading")).to_have_text("Football, anywhere")
    expect(page.locator(".card__title")).to_have_text(["Walking football", "Good Mood five-a-side",
                                                       "Walking netball"])

    _search(page, "printmaking")
    card = page.locator(".card").filter(has_text=PRINTMAKING)
    expect(card).to_contain_text("Next: Mon 12 Oct, 2–4pm")
    card.get_by_role("button", name=re.compile("Add to shortlist")).click()
    expect(page.locator(".card").filter(has_text=PRINTMAKING)).to_have_count(1)
    page.goto(live_server + "/shortlist")
    page.emulate_media(media="print")
    printed = page.locator(".shortlist .card").filter(has_text=PRINTMAKING)
    for text in ("Halifax Arts Café, 12 Westgate, Halifax, HX1 1QG", "Second Monday of the month, 2–4pm",
                 "Book a place", "A set price: £5", "Mel, 01422 000000", "Next: Mon 12 Oct, 2–4pm"):
        expect(printed).to_contain_text(text)
    expect(page.locator("#share-heading")).to_be_hidden()


def _public_pages(page, live_server) -> list[str]:
    page.goto(live_server + "/activities?q=art&postcode=HD1+2QA&distance=10")
    activity = page.locator(".card__link").first.get_attribute("href")
    return ["/", "/activities", "/activities?q=art&postcode=HD1+2QA&distance=10",
            "/activities?q=zzzz&postcode=HD1&distance=1", "/activities/printable?q=art&postcode=HD1+2QA&distance=10",
            activity, activity + "/interested", "/shortlist"]


@pytest.mark.parametrize("viewport", [SMALLEST, PHONE], ids=["320px", "390px"])
def test_axe_finds_no_serious_or_critical_problems_on_the_public_pages(listings, browser, live_server, viewport):
    if not AXE.exists():
        skip_or_fail("standards", f"axe-core is not installed at {AXE} (npm ci --prefix checkers)")
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # to add axe to the page
    page = context.new_page()
    try:
        found = {}
        for path in _public_pages(page, live_server):
            page.goto(live_server + path)
            expect(page.locator("h1")).to_have_count(1)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
            if violations:
                found[path] = violations
        assert found == {}
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [SMALLEST, PHONE], ids=["320px", "390px"])
def test_your_activities_and_the_shortlist_fit_a_phone_with_every_button_on_screen(
        listings, demo, browser, live_server, viewport):  # noqa: F811 (the fixture imported above)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.console_errors = []
    try:
        sign_in(page, live_server, CHAMPION, demo[CHAMPION])
        page.goto(live_server + "/activities/manage")
        still_running = page.get_by_role("button", name=re.compile("Still running")).first
        expect(still_running).to_be_visible()
        box = still_running.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"], box
        page.goto(live_server + "/activities?q=printmaking")
        page.get_by_role("button", name=re.compile("Add to shortlist")).first.click()
        expect(page.locator(".card")).to_have_count(1)
        page.goto(live_server + "/shortlist")
        expect(page.locator("#share-heading")).to_be_visible()
        for path in ("/activities/manage", "/shortlist"):
            page.goto(live_server + path)
            expect(page.locator("h1")).to_have_count(1)
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways at {viewport['width']} px: {widths}"
    finally:
        context.close()
