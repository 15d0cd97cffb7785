"""Browser journeys on a phone-sized screen, with the demo data and no network: a person in
Kirklees finds art nearby, opens it, adds it to their calendar and says they are interested; a
champion places a venue with the (fake) map search and lists a fortnightly activity that search
then shows with the right next date; the search and activity pages fit 320 px and show where
keyboard focus is."""
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from brokerage.extensions import db
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.demo_cache import load_demo
from tests.directory.geo.test_geocoding import NEAR_HALIFAX, FakeGeocoder

pytestmark = pytest.mark.browser

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)  # Monday 15 June 2026, 1pm in London
PHONE = {"width": 375, "height": 740}
SMALLEST = {"width": 320, "height": 640}
CHAMPION = "staff.champion@demo.creativeminds.example"
CALENDAR_PROPERTY = re.compile(r"^[A-Z-]+(;[A-Za-z-]+=[^:;]+)*:.*$")


@pytest.fixture
def demo(app, fixed_now):
    """The demo data, loaded with the clock at NOW; returns {email: password}."""
    fixed_now(NOW)
    with app.app_context():
        created = load_demo()
        db.session.commit()
        db.session.remove()
    return {email: password for email, _roles, password in created}


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page that may only talk to the app: any other request fails the test."""
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    page.console_errors, page.outside_requests = [], []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    local = urlsplit(live_server).netloc

    def only_local(route):
        if urlsplit(route.request.url).netloc == local:
            return route.continue_()
        page.outside_requests.append(route.request.url)
        return route.abort()
    context.route("**/*", only_local)
    yield page
    context.close()
    assert page.outside_requests == []


def check_icalendar(text: str) -> list[str]:
    """Structural RFC 5545 checks; returns the unfolded content lines."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    stack = []
    for line in lines:
        assert CALENDAR_PROPERTY.match(line), line
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    event = lines[lines.index("BEGIN:VEVENT"):lines.index("END:VEVENT")]
    for name in ("UID:", "DTSTAMP:", "DTSTART;TZID=Europe/London:", "SUMMARY:", "RRULE:"):
        assert any(line.startswith(name) for line in event), name
    return lines


def test_a_person_in_kirklees_finds_art_adds_it_to_their_calendar_and_says_they_are_interested(demo, phone,
                                                                                               live_server):
    page = phone
    page.goto(live_server + "/activities")
    check_page_basics(page)
    page.get_by_label("What would you like to do?").fill("art")
    page.get_by_label("Postcode").fill("HD1 2QA")
    page.get_by_label("Distance in miles").fill("10")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_have_text("Art near HD1 2QA, within 10 miles")
    card = page.locator(".card").filter(has_text="Arts café drop-in")
    expect(card).to_contain_text(re.compile(r"(under 1 mile|about \d+ miles?) away"))
    assert "Next: Fri 19 Jun, 1–3:30pm" in card.inner_text()
    card.get_by_role("link", name="Arts café drop-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arts café drop-in")
    check_page_basics(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar").click()
    lines = check_icalendar(Path(download.value.path()).read_bytes().decode("utf-8"))
    assert "RRULE:FREQ=WEEKLY;BYDAY=FR" in lines and "SUMMARY:Arts café drop-in" in lines
    page.get_by_role("link", name="I'm interested").click()
    check_page_basics(page)
    page.get_by_label("Your first name").fill("Jo")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator("main")).to_contain_text("Halifax Arts Café will see that you are interested in Arts café drop-in.", use_inner_text=True)


def test_a_champion_lists_a_fortnightly_activity_and_search_shows_its_next_date(app, demo, phone, live_server):
    app.extensions["geocoder"] = FakeGeocoder(NEAR_HALIFAX)  # the seam: no request leaves the machine
    page = phone
    sign_in(page, live_server, CHAMPION, demo[CHAMPION])
    page.goto(live_server + "/activities/manage")
    page.get_by_role("link", name="List an activity").first.click()
    check_page_basics(page)
    page.get_by_label("Who runs it").select_option(label="Halifax Arts Café")
    page.get_by_label("Name of the activity").fill("Printmaking afternoon")
    page.get_by_label("What happens").fill("Lino printing with a tutor. Materials and tea included.")
    page.get_by_label("Crafts", exact=True).check()
    page.get_by_label("Name of the venue").fill("Halifax Arts Café")
    page.get_by_role("textbox", name="Street address").fill("12 Westgate")
    page.get_by_role("textbox", name="Town").fill("Halifax")
    page.get_by_role("textbox", name="Postcode").fill("HX1 1QG")
    page.get_by_role("button", name="Find the venue on the map from its address").click()
    assert "The map search found: Arts Café, 1 Square Road, Halifax" in page.inner_text("#venue-position")
    assert page.get_by_label("Name of the activity").input_value() == "Printmaking afternoon"
    assert page.get_by_label("Use this place on the map for the venue").is_checked()
    check_page_basics(page)
    page.get_by_label("Every other week").check()
    page.get_by_label("First date").fill("2026-06-11")  # a Thursday, so the next is 25 June, not 18 June
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("16:00")
    page.get_by_label("Drop in: just turn up").check()
    page.get_by_label("Name of the activity").press("Enter")  # saves: it does not search the map again
    expect(page.locator("main")).to_contain_text("Printmaking afternoon is listed.", use_inner_text=True)
    assert app.extensions["geocoder"].addresses == ["12 Westgate, Halifax, HX1 1QG"]
    expect(page.locator("main")).to_contain_text("Every other Thursday, 2–4pm", use_inner_text=True)
    page.goto(live_server + "/activities?q=printing&postcode=HX1")
    card = page.locator(".card").filter(has_text="Printmaking afternoon")
    assert "Next: Thu 25 Jun, 2–4pm" in card.inner_text()


def _focus_indicators(page, presses: int) -> list[tuple[str, bool]]:
    """Tab through the page (until focus leaves it): (element, whether it shows a focus ring)."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const el = document.activeElement, style = getComputedStyle(el);
            const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const shadow = style.boxShadow !== 'none', filled = style.backgroundColor === 'rgb(255, 221, 0)';
            return [el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30), ring || shadow || filled];
        }""")
        if stop[0].startswith("BODY"):
            break
        seen.append(tuple(stop))
    return seen


def test_search_and_activity_pages_fit_320_pixels_and_show_keyboard_focus(demo, browser, live_server):
    context = browser.new_context(viewport=SMALLEST)
    page = context.new_page()
    try:
        page.goto(live_server + "/activities?q=art&postcode=HD1+2QA&distance=10")
        activity_url = page.locator(".card__link").first.get_attribute("href")
        for path in ["/activities?q=art&postcode=HD1+2QA&distance=10", "/activities", activity_url]:
            page.goto(live_server + path)
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
            stops = _focus_indicators(page, 40)
            assert len(stops) >= 8, f"{path}: only {len(stops)} things take focus"
            hidden = [stop for stop, visible in stops if not visible]
            assert hidden == [], f"{path}: focus not visible on {hidden}"
    finally:
        context.close()
