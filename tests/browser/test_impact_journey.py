"""Browser journey (issue 7, "Done when"): a worker records a participant's baseline and follow-up
for a project, which brings Barnsley to 5 pairs; a coordinator opens the Barnsley report with the
mean change and stories and prints it; the small Halifax group stays suppressed."""
from datetime import date

import pytest
from playwright.sync_api import expect

from brokerage.core.values.roles import Role
from brokerage.directory.geo.locations import load_district_centroids
from brokerage.directory.listings.taxonomy import load_taxonomy
from brokerage.extensions import db
from brokerage.partners.champions import services as champions
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.outcomes.conftest import NOW, Outcomes

pytestmark = pytest.mark.browser


@pytest.fixture
def projects(app, make_user, fixed_now):
    """Walking football (Barnsley) with 4 pairs and two stories, a Halifax choir with 3 pairs and
    its painting group with 2 (Calderdale's 5 can be shown, so Barnsley's need not hide with the
    choir's 3), and a worker: a champion linked to the football's partner."""
    fixed_now(NOW)
    with app.app_context():
        load_district_centroids()
        load_taxonomy()
        outcomes = Outcomes(make_user)
        football = outcomes.project
        halifax = outcomes.partner(name="Halifax Arts Café", locality="calderdale")
        choir = outcomes.activity(partner=halifax, title="Halifax choir", postcode="HX1 1QG")
        outcomes.pairs(4, project=football)
        outcomes.pairs(3, project=choir)
        outcomes.pairs(2, project=outcomes.activity(partner=halifax, title="Halifax painting", postcode="HX1 1QG"))
        outcomes.story(title="Back on the pitch", consent="public")
        outcomes.story(title="Somewhere to go on a Tuesday", consent="internal")
        worker = outcomes.user(Role.CHAMPION, email="worker@example.org", name="Wes Worker")
        champions.link_champion(actor=outcomes.coordinator, partner=football.partner, champion=worker)
        ids = football.id, choir.id
        db.session.commit()
    make_user(Role.COORDINATOR, email="casey@example.org", name="Casey Coordinator")
    return ids


def _answer_statements(page, score: int) -> None:
    for number in range(1, 8):
        page.locator(f"input[name='item_{number}'][value='{score}']").check()


def _record(page, timepoint: str, on: date, score: int) -> None:
    page.get_by_label(timepoint).check()
    page.get_by_label("Date of the measure").fill(on.isoformat())
    _answer_statements(page, score)
    check_page_basics(page)
    page.get_by_role("button", name="Save the measure").click()


def test_worker_records_a_pair_and_coordinator_prints_the_locality_report(page, live_server, projects):
    football_id, choir_id = projects
    sign_in(page, live_server, "worker@example.org")
    page.get_by_role("link", name="Wellbeing", exact=True).click()
    page.get_by_role("link", name="Walking football").first.click()
    page.get_by_role("button", name="Add a participant").click()
    code = page.locator(".notice--success").inner_text().split("code: ")[1].split(".")[0]
    page.get_by_role("link", name=f"Record a measure for {code}").click()
    page.get_by_label("Date of the measure").fill("2026-06-20")
    page.get_by_role("button", name="Save the measure").click()
    expect(page.locator("main")).to_contain_text("There is a problem", use_inner_text=True)  # nothing chosen: messages, nothing saved
    expect(page.locator("[data-error-summary]")).to_be_focused()  # site.js moves focus once the page has loaded
    _record(page, "Baseline (before the project)", date(2026, 1, 19), 2)
    expect(page.locator("main")).to_contain_text(f"The measure for {code} is saved.", use_inner_text=True)
    page.get_by_role("link", name=f"Record a measure for {code}").click()
    _record(page, "End of the project", date(2026, 1, 5), 4)
    expect(page.locator("main")).to_contain_text("A follow-up cannot be dated before the baseline", use_inner_text=True)
    page.get_by_label("Date of the measure").fill("2026-06-10")
    page.get_by_role("button", name="Save the measure").click()
    expect(page.locator("main")).to_contain_text(f"The measure for {code} is saved.", use_inner_text=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "casey@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Impact reports", exact=True).click()
    check_page_basics(page)
    page.get_by_role("link", name="Barnsley").click()
    main = " ".join(page.inner_text("main").split())
    assert "Impact report: Barnsley 2026-27" in main
    assert "Participants 5 Pairs (baseline and follow-up) 5 Mean change +" in main
    assert "Back on the pitch" in main and "Somewhere to go on a Tuesday" in main
    expect(page.locator("svg[role='img']")).to_have_count(1)
    check_page_basics(page)
    expect(page.get_by_role("button", name="Print this report")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("nav[aria-label='Main']")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this report")).to_be_hidden()
    expect(page.get_by_role("heading", name="Wellbeing")).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"
    page.emulate_media(media="screen")

    page.goto(f"{live_server}/impact/reports/project/{choir_id}")
    text = " ".join(page.inner_text("main").split())
    assert "Participants not shown (small numbers)" in text and "Mean change Not shown (small numbers)" in text
    expect(page.locator("svg[role='img']")).to_have_count(0)
