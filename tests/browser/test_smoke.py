"""Browser journeys: sign in, walk the navigation, invite a person who sets their password."""
import pytest
from playwright.sync_api import expect

from brokerage.core.values.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def check_page_basics(page) -> None:
    """Every page: one h1, a main landmark, a title, labelled form controls, no script errors."""
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main#main")).to_have_count(1)
    assert page.title()
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden' && !el.hidden)
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.name)""")
    assert unlabelled == [], f"{page.url}: unlabelled controls {unlabelled}"
    assert page.console_errors == []


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_coordinator_signs_in_and_walks_the_navigation(page, live_server, make_user):
    make_user(Role.COORDINATOR, email="casey@example.org", name="Casey Coordinator")
    sign_in(page, live_server, "casey@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    links = page.locator("nav[aria-label='Main'] a")
    labels = [links.nth(i).inner_text() for i in range(links.count())]
    assert {"Home", "Your work", "People", "Audit trail"} <= set(labels)
    for label in labels:
        page.locator("nav[aria-label='Main']").get_by_role("link", name=label, exact=True).click()
        check_page_basics(page)
        expect(page.locator("nav[aria-label='Main'] a[aria-current='page']")).to_have_text(label)
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("body")).to_contain_text("You have signed out.")


def test_first_tab_reaches_the_skip_link_and_it_moves_to_main(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_errors_are_summarised_and_focus_moves_to_the_summary(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.get_by_role("link", name="Enter an email address.").click()
    assert page.evaluate("document.activeElement.id") == "email"
    check_page_basics(page)


def test_pages_fit_a_320_pixel_screen(browser, live_server, make_user):
    make_user(Role.COORDINATOR, email="casey@example.org")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        sign_in(page, live_server, "casey@example.org")
        for path in ["/", "/dashboard", "/accounts", "/accounts/invite", "/audit", "/account/password",
                     "/notifications", "/account/notifications", "/partners/applications"]:
            page.goto(live_server + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    finally:
        context.close()


def test_public_self_service_pages_fit_a_320_pixel_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for path in ["/forgot-password", "/become-a-partner", "/login"]:
            page.goto(live_server + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the screen"
    finally:
        context.close()


def test_invited_person_sets_a_password_from_the_link_and_signs_in(page, browser, live_server, make_user):
    make_user(Role.COORDINATOR, email="casey@example.org")
    sign_in(page, live_server, "casey@example.org")
    page.goto(live_server + "/accounts/invite")
    page.get_by_label("Full name").fill("Robin Fielding")
    page.get_by_label("Email address").fill("robin@example.org")
    page.get_by_label("Champion").check()
    page.get_by_role("button", name="Create account and get link").click()
    link = page.get_by_label("Link").input_value()
    assert "/set-password/" in link

    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("New password", exact=True).fill("kettle orchard lantern")
    newcomer.get_by_label("Type the new password again").fill("kettle orchard lantern")
    newcomer.get_by_role("button", name="Save password").click()
    expect(newcomer.locator("main")).to_contain_text("Your password is set")
    sign_in(newcomer, live_server, "robin@example.org", "kettle orchard lantern")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Your work")
    newcomer.context.close()
