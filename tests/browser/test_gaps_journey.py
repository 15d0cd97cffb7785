"""Browser journey (issue 19, "Done when", the gaps), on a phone 390 px wide with the demo data:
a visitor's search for climbing near WF9 finds nothing and is counted; the coordinator opens the
gaps from the menu, sees that WF9 has no evening activities, that "climbing" near HD3 found
nothing 7 times this month and that the visitor's one search shows as "fewer than 5"; sorts the
districts by evenings (the gaps first) and downloads the CSV with the same figures. (Following a
gap's link to a call for bids, and on to a funded bid, is test_call_journey's.)"""
import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_directory_journey import NOW, demo, phone  # noqa: F401 (fixtures)
from tests.browser.test_directory_phone import AXE, SMALLEST
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@demo.creativeminds.example"


def _row(page, table: str, name: str):
    return page.locator(f"section[aria-labelledby='{table}-heading'] tbody tr").filter(
        has=page.get_by_role("rowheader", name=name, exact=True))


def _misses(page) -> list[list[str]]:
    """The searches that found nothing, each row's cells but the last (its link)."""
    rows = page.locator("section[aria-labelledby='misses-heading'] tbody tr")
    return [[text.strip() for text in rows.nth(i).locator("th, td").all_inner_texts()[:-1]]
            for i in range(rows.count())]


def _serious_accessibility_violations(browser, live_server: str, password: str, path: str) -> list[str]:
    """axe-core on the page at 320 px (a context that lets the test add axe to the page)."""
    if not AXE.exists():
        skip_or_fail("standards", f"axe-core is not installed at {AXE} (npm ci --prefix checkers)")
    context = browser.new_context(viewport=SMALLEST, bypass_csp=True)
    try:
        page = context.new_page()
        sign_in(page, live_server, COORDINATOR, password)
        page.goto(live_server + path)
        page.add_script_tag(path=str(AXE))
        return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
    finally:
        context.close()


def test_a_coordinator_sees_the_gaps_sorts_them_and_downloads_the_figures(browser, phone, live_server,  # noqa: F811
                                                                          demo):  # noqa: F811
    page = phone
    page.goto(f"{live_server}/activities")
    page.get_by_label("What would you like to do?").fill("climbing")
    page.get_by_label("Postcode").fill("WF9 2AB")
    page.get_by_role("button", name="Search").first.click()
    expect(page.locator("main")).to_contain_text("0 activities found", use_inner_text=True)

    sign_in(page, live_server, COORDINATOR, demo[COORDINATOR])
    page.get_by_role("link", name="Gaps", exact=True).click()
    check_page_basics(page)
    page.get_by_role("link", name="Gaps in Wakefield").click()
    check_page_basics(page)
    wf9 = _row(page, "districts", "WF9")
    expect(wf9.locator("td").nth(3)).to_have_text("0 (a gap)", use_inner_text=True)  # meet in the evening
    misses = _misses(page)
    assert ["WF9", "Climbing", "“climbing”", "Any day", "Any time", "fewer than 5"] in misses  # the visitor's
    assert ["WF9", "Any category", "No words", "Any day", "Evening", "6"] in misses

    page.goto(f"{live_server}/collectives/kirklees/gaps")
    assert ["HD3", "Climbing", "“climbing”", "Any day", "Any time", "7"] in _misses(page)

    page.locator("section[aria-labelledby='districts-heading']").get_by_role("link", name="Meet in the evening").click()
    assert "sort=evening" in page.url
    first = page.locator("section[aria-labelledby='districts-heading'] tbody tr").first
    expect(first.locator("td").nth(3)).to_have_text("0 (a gap)", use_inner_text=True)
    check_page_basics(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures as CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert ["HD3", "Climbing", "“climbing”", "Any day", "Any time", "7"] in rows
    assert rows[0] == ["Locality", "Kirklees"] and ["Period", "This month"] in rows
    assert _serious_accessibility_violations(browser, live_server, demo[COORDINATOR],
                                             "/collectives/kirklees/gaps?sort=evening") == []
