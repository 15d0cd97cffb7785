"""The mental-health-friendly mark in the public directory: an activity of a marked partner says
what the mark means, and the filter "Only mental-health-friendly clubs" finds only those; a
suspended mark disappears from both. The Open Referral API carries it as an attribute."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from brokerage.core.data.models import Locality
from brokerage.core.values.timeutils import london_today
from brokerage.directory.open_data.serialisers import public_id
from brokerage.extensions import db
from brokerage.partners.marks import services as marks
from brokerage.partners.marks.models import MarkApplication

from ...conftest import page_text
from ..conftest import NOW
from ..open_data.oruk import assert_valid

MARK_TEXT = "Coaches here know how to support your mental health."


def award(directory, partner) -> int:
    coordinator = directory.coordinator
    today = london_today(NOW)
    locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == "barnsley"))
    scheme = marks.create_scheme(actor=coordinator, locality_id=locality_id, name="Moving Mental Health Forward",
                                 mark_text=MARK_TEXT, award_months=24)
    criterion = marks.add_criterion(actor=coordinator, scheme=scheme, name="A named mental health lead", minimum=1)
    application = marks.apply(actor=coordinator, partner=partner, now=NOW, today=today,
                              evidence=[marks.Evidence(criterion.id, "Sam Lee, welfare officer")])
    marks.decide(actor=coordinator, application=application, assessments=[marks.Assessment(criterion.id, True)],
                 awarded_until=today + timedelta(days=365), missing="", today=today, now=NOW)
    return application.id


@pytest.fixture
def marked(directory, now):
    """Two activities in Barnsley; only the first's partner holds the mark."""
    club = directory.partner("Penistone Harriers")
    marked_id = directory.activity(partner=club, title="Walking football").id
    other_id = directory.activity(partner=directory.partner("Elsewhere FC"), title="Walking netball").id
    award_id = award(directory, club)
    db.session.commit()
    return marked_id, other_id, award_id


def test_a_marked_partners_activity_says_what_the_mark_means(client, marked):
    marked_id, other_id, _ = marked
    assert MARK_TEXT in page_text(client.get(f"/activities/{marked_id}"))
    assert MARK_TEXT not in page_text(client.get(f"/activities/{other_id}"))


def test_the_filter_finds_only_mental_health_friendly_clubs(client, marked):
    everything = page_text(client.get("/activities?q=walking"))
    assert "2 activities found" in everything and "Elsewhere FC" in everything
    filtered = page_text(client.get("/activities?q=walking&mark=y"))
    assert "1 activity found" in filtered and "Penistone Harriers" in filtered and "Elsewhere FC" not in filtered
    assert "Only mental-health-friendly clubs" in filtered


def test_a_suspended_mark_is_not_shown_or_found(app, client, marked):
    marked_id, _, award_id = marked
    with app.app_context():
        db.session.get(MarkApplication, award_id).valid_until = london_today(NOW) - timedelta(days=1)
        db.session.commit()
    assert MARK_TEXT not in page_text(client.get(f"/activities/{marked_id}"))
    assert "Penistone Harriers" not in page_text(client.get("/activities?q=walking&mark=y"))


def test_the_open_referral_api_carries_the_mark_as_an_attribute_that_validates(client, marked):
    marked_id, other_id, _ = marked
    body = client.get(f"/api/v1/services/{public_id('service', marked_id)}").get_json()
    assert_valid("/services/{id}", body)
    assert "mental-health-friendly" in [attribute["taxonomy_term"].get("term") for attribute in body["attributes"]]
    other = client.get(f"/api/v1/services/{public_id('service', other_id)}").get_json()
    assert "mental-health-friendly" not in [attribute["taxonomy_term"].get("term") for attribute in other["attributes"]]


def test_search_results_and_the_open_referral_list_carry_the_mark(client, marked):
    marked_id, other_id, _ = marked
    cards = client.get("/activities?q=walking").get_data(as_text=True).split('<li class="card">')[1:]
    badges = {card.split("</h3>")[0].split(">")[-2].split("<")[0]: "Mental-health-friendly" in card for card in cards}
    assert badges == {"Walking football": True, "Walking netball": False}
    body = client.get("/api/v1/services").get_json()
    assert_valid("/services", body)
    terms = {item["name"]: [attribute["taxonomy_term"]["term"] for attribute in item.get("attributes", [])]
             for item in body["contents"]}
    assert terms == {"Walking football": ["mental-health-friendly"], "Walking netball": []}
