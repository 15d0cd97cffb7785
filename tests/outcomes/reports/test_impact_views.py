"""Story pages and impact report pages over HTTP: who may use them, what consent shows where,
withdrawal everywhere at once, suppression in pages and CSV alike, printing, and bad input."""
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.extensions import db
from brokerage.outcomes.stories import services as stories
from brokerage.outcomes.measures.pairing import NOT_SHOWN
from brokerage.outcomes.stories.models import Story

from ...conftest import page_text
from ..conftest import NOW

STORY_FORM = {"title": "Back on the pitch", "text": "I look forward to Tuesdays now.", "media_url": "",
              "reporter": "Jo Reporter", "told_on": "2026-05-06", "consent": "public"}


@pytest.fixture
def world(outcomes, fixed_now):
    """Walking football (Reds, Barnsley) with 5 pairs and three stories; a Halifax choir run by
    another partner with 3 pairs and its painting group with 2 (so that Calderdale's and the
    partner's 5 can be shown); a contact of each partner."""
    fixed_now(NOW)
    football = outcomes.project
    other = outcomes.partner(name="Halifax Arts Café", locality="calderdale")
    choir = outcomes.activity(partner=other, title="Halifax choir", postcode="HX1 1QG")
    outcomes.pairs(5, project=football)
    outcomes.pairs(3, project=choir)
    outcomes.pairs(2, project=outcomes.activity(partner=other, title="Halifax painting", postcode="HX1 1QG"))
    outcomes.story(title="Published story", consent="public")
    outcomes.story(title="Internal story", consent="internal", reporter="Internal Reporter")
    outcomes.story(title="Waiting story", consent="not_yet")
    contact = outcomes.contact_for(football.partner)
    other_contact = outcomes.contact_for(other)
    member = outcomes.user(Role.COLLECTIVE_MEMBER)
    barnsley = db.session.scalar(select(Locality.id).where(Locality.slug == "barnsley"))
    values = {"football": football.id, "choir": choir.id, "partner": football.partner_id, "other": other.id,
              "barnsley": barnsley, "contact": contact, "other_contact": other_contact, "member": member,
              "story": db.session.scalar(select(Story.id).where(Story.title == "Published story"))}
    db.session.commit()  # and nothing after it: SQLite would hold the write lock for the next request
    return values


def test_a_coordinator_adds_a_story_through_the_form_which_warns_against_identifying_details(client, coordinator,
                                                                                           world):
    url = f"/wellbeing-measures/projects/{world['football']}/stories/new"
    assert "Do not include the storyteller's name" in page_text(client.get(url))
    response = client.post(url, data=STORY_FORM, follow_redirects=True)
    assert "The story is saved." in page_text(response) and "Back on the pitch" in page_text(response)


def test_a_bad_story_gets_messages_by_the_fields_keeps_the_input_and_saves_nothing(client, coordinator, world):
    url = f"/wellbeing-measures/projects/{world['football']}/stories/new"
    response = client.post(url, data={**STORY_FORM, "title": "", "media_url": "javascript:alert(1)"})
    text = page_text(response)
    assert response.status_code == 200 and "There is a problem" in text
    assert "Enter a title for the story." in text
    assert "I look forward to Tuesdays now." in text
    assert db.session.scalar(select(Story.id).where(Story.text == STORY_FORM["text"])) is None
    response = client.post(url, data={**STORY_FORM, "media_url": "javascript:alert(1)"})
    assert "Enter a link to the audio or video starting with https://" in page_text(response)
    assert 'href="javascript:' not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["unlinked champion", "another partner's contact", "collective member"])
def test_every_story_page_is_forbidden_to_people_outside_the_partner(client, auth, world, who):
    if who == "another partner's contact":
        auth.login(world["other_contact"])
    else:
        auth.login_as(Role.CHAMPION if who == "unlinked champion" else Role.COLLECTIVE_MEMBER)
    project, story = world["football"], world["story"]
    for url in (f"/wellbeing-measures/projects/{project}/stories", f"/wellbeing-measures/projects/{project}/stories/new",
                f"/wellbeing-measures/stories/{story}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/wellbeing-measures/projects/{project}/stories/new", data=STORY_FORM).status_code == 403
    assert client.post(f"/wellbeing-measures/stories/{story}/edit", data=STORY_FORM).status_code == 403
    assert client.post(f"/wellbeing-measures/stories/{story}/withdraw").status_code == 403
    assert db.session.get(Story, story).title == "Published story"


def test_the_partners_own_contact_changes_the_consent_of_a_story(client, auth, world):
    auth.login(world["contact"])
    response = client.post(f"/wellbeing-measures/stories/{world['story']}/edit",
                           data={**STORY_FORM, "consent": "internal"}, follow_redirects=True)
    assert "The story is updated." in page_text(response)
    assert "Back on the pitch" not in page_text(client.get(f"/activities/{world['football']}"))


def test_only_published_stories_appear_on_the_public_activity_page_and_the_partner_page(client, auth, world):
    activity = page_text(client.get(f"/activities/{world['football']}"))
    assert "Published story" in activity and "Internal story" not in activity and "Waiting story" not in activity
    assert "Jo Reporter" not in activity
    auth.login(world["member"])
    partner = page_text(client.get(f"/partners/{world['partner']}"))
    assert "Published story" in partner and "Internal story" not in partner


def test_withdrawal_hides_the_story_everywhere_at_once(client, coordinator, world):
    report_url = f"/impact/reports/project/{world['football']}"
    assert "Published story" in page_text(client.get(report_url))
    response = client.post(f"/wellbeing-measures/stories/{world['story']}/withdraw", follow_redirects=True)
    assert "The story is withdrawn" in page_text(response) and "Withdrawn story" in page_text(response)
    for url in (f"/activities/{world['football']}", f"/partners/{world['partner']}", report_url, f"{report_url}.csv",
                "/impact"):
        assert "Published story" not in client.get(url).get_data(as_text=True), url


@pytest.mark.parametrize("who, kind, allowed", [
    ("coordinator", "locality", 200), ("coordinator", "partner", 200), ("coordinator", "project", 200),
    ("coordinator", "all", 200), ("own contact", "partner", 200), ("own contact", "project", 200),
    ("own contact", "locality", 403), ("own contact", "all", 403), ("own contact", "other partner", 403),
    ("own contact", "other project", 403), ("champion", "project", 403), ("champion", "locality", 403),
    ("anonymous", "project", 302), ("anonymous", "locality", 302),
])
def test_who_may_open_each_report(client, auth, world, who, kind, allowed):
    if who == "coordinator":
        auth.login_as(Role.COORDINATOR)
    elif who == "own contact":
        auth.login(world["contact"])
    elif who == "champion":
        auth.login_as(Role.CHAMPION)
    path = {"locality": f"locality/{world['barnsley']}", "partner": f"partner/{world['partner']}",
            "project": f"project/{world['football']}", "all": "all", "other partner": f"partner/{world['other']}",
            "other project": f"project/{world['choir']}"}[kind]
    assert client.get(f"/impact/reports/{path}?year=2026").status_code == allowed
    assert client.get(f"/impact/reports/{path}.csv?year=2026").status_code == allowed


def test_a_locality_report_shows_the_mean_change_chart_money_and_stories_and_prints(client, coordinator, world):
    response = client.get(f"/impact/reports/locality/{world['barnsley']}?year=2026")
    body, text = response.get_data(as_text=True), page_text(response)
    assert "Impact report: Barnsley 2026-27" in text
    assert "Participants 5" in text and "Mean change +" in text and "<svg" in body
    assert "Bids submitted 0" in text and "Published story" in text and "Internal story" in text
    assert "Waiting story" not in text
    assert 'data-print hidden' in body and 'class="filter-grid no-print"' in body
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert ".no-print" in css and "@media print" in css


def test_small_groups_are_suppressed_in_the_page_and_the_csv_alike(client, coordinator, world):
    page = page_text(client.get(f"/impact/reports/project/{world['choir']}?year=2026"))
    assert f"Participants {NOT_SHOWN} Pairs (baseline and follow-up) {NOT_SHOWN}" in page
    assert f"Mean change {NOT_SHOWN.capitalize()}" in page
    response = client.get(f"/impact/reports/project/{world['choir']}.csv?year=2026")
    rows = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert f"Participants,{NOT_SHOWN}" in rows and f"Mean change,{NOT_SHOWN}" in rows
    assert not any(row.startswith(("Participants,3", "Pairs (baseline and follow-up),3")) for row in rows)


def test_the_public_headline_says_what_the_year_achieved_with_published_stories_only(client, world):
    response = client.get("/impact?year=2026")
    text = page_text(response)
    assert response.status_code == 200
    assert "In 2026-27, 10 people took part in three projects across two localities." in text
    assert "Of the 10 people who answered the wellbeing questions twice, 100% felt better" in text
    assert "Published story" in text and "Internal story" not in text and "Jo Reporter" not in text


def test_a_year_that_is_not_offered_gets_a_message_not_an_error(client, coordinator, world):
    for url in ("/impact?year=1999", "/impact/reports?year=abc", f"/impact/reports/project/{world['football']}?year=1",
                f"/impact/reports/project/{world['football']}.csv?year=1999"):
        response = client.get(url)
        assert response.status_code == 400 and "Choose a financial year from the list." in page_text(response), url


def test_reports_open_on_this_financial_year_and_the_index_links_every_scope(client, coordinator, world):
    text = page_text(client.get(f"/impact/reports/project/{world['football']}"))
    assert "Impact report: Walking football 2026-27" in text  # 15 June 2026
    index = page_text(client.get("/impact/reports"))
    assert "Barnsley" in index and "Reds in the Community" in index and "Halifax choir" in index
    assert client.get("/impact/reports/project/999").status_code == 404


def test_report_statements_do_not_grow_with_pairs_stories_or_projects(client, auth, outcomes, count_queries):
    """Barnsley gets three projects, 15 pairs and 9 stories; Calderdale one project, 3 pairs, 1 story."""
    for title in ("Walking football", "Sewing circle", "Climbing"):
        project = outcomes.activity(title=title)
        outcomes.pairs(5, project=project)
        for number in range(3):
            outcomes.story(project=project, title=f"{title} story {number}")
    choir = outcomes.activity(partner=outcomes.partner(name="Halifax Arts Café", locality="calderdale"),
                              title="Halifax choir", postcode="HX1 1QG")
    outcomes.pairs(3, project=choir)
    outcomes.story(project=choir)
    coordinator = outcomes.user(Role.COORDINATOR)
    ids = {slug: db.session.scalar(select(Locality.id).where(Locality.slug == slug))
           for slug in ("barnsley", "calderdale")}
    db.session.commit()
    auth.login(coordinator)

    def statements(url: str) -> int:
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count
    statements("/impact")  # the first one also opens a connection (SQLite pragmas)
    assert statements(f"/impact/reports/locality/{ids['barnsley']}?year=2026") == statements(
        f"/impact/reports/locality/{ids['calderdale']}?year=2026") <= 20
    assert statements("/impact?year=2026") <= 12


@pytest.mark.parametrize("who, sees_link", [("contact", True), ("member", False)])
def test_the_partner_page_links_to_its_impact_report_for_those_who_may_open_it(client, auth, world, who, sees_link):
    auth.login(world[who])
    body = client.get(f"/partners/{world['partner']}").get_data(as_text=True)
    assert (f'href="/impact/reports/partner/{world["partner"]}"' in body) is sees_link


def test_a_withdrawn_story_leaves_the_public_activity_page_kept_for_visitors_at_once(client, outcomes, world):
    activity_url = f"/activities/{world['football']}"
    assert "Published story" in page_text(client.get(activity_url))  # now kept in the page cache
    stories.withdraw_story(actor=outcomes.coordinator, story=db.session.get(Story, world["story"]), now=NOW)
    assert "Published story" not in page_text(client.get(activity_url))
