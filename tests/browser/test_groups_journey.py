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
        assert page.get_by_role("heading", level=1).inner_text() == question.title
        check_page_basics(page)
        page.get_by_role("button", name="Save and continue").click()
    assert "Proposed constitution of Wakefield Walkers" in page.inner_text("h1")
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
    assert page.get_by_role("heading", level=1).inner_text() == "Constitution of Wakefield Walkers"
    expect(page.locator(".constitution__clause")).to_have_count(17)
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Back to the constitution").is_visible()
    page.emulate_media(media="screen")
    page.goto(f"{live_server}/groups/{group_id}")
    assert "Constituted" in page.inner_text("main") and "2 of 7 done" in page.inner_text("main")
