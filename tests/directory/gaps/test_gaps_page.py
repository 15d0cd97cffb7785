"""A locality's gaps page: its figures by district and category, the searches that found
nothing, who may see it (and who may not), the CSV (small counts suppressed as on the page) and
query arguments a person could have mistyped."""
import csv
import io
from datetime import date, time

import pytest
from sqlalchemy import select

from brokerage.collectives.members import membership
from brokerage.collectives.models import Constituency, MemberRole
from brokerage.core.data.models import Locality
from brokerage.core.values.roles import Role
from brokerage.directory.gaps.pages import call_for_bids_url
from brokerage.directory.interest.services import register_interest
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.listings.services import Venue
from brokerage.directory.search.misses.models import SearchMiss
from brokerage.extensions import db
from brokerage.partners.champions.services import ChampionDetails, update_profile

from ...conftest import page_text
from ..conftest import NOW
from ..test_html_validity import _check as html_errors


def _weekly(weekday_start: date, at: int) -> Schedule:
    return Schedule(frequency="weekly", start_date=weekday_start, start_time=time(at), end_time=time(at + 2))


def _venue(postcode: str) -> Venue:
    return Venue(name="Hall", postcode=postcode, address_1="1 High Street", city="Town")


@pytest.fixture
def gaps(app, directory, now):
    """Kirklees: an evening choir in HD1 for young people (two people interested) and a free
    Saturday walk in HD3; Wakefield: a daytime craft group in WF9. Searches that found nothing:
    "climbing" near HD3 7 times this month, 3 unworded near HD1, and 5 near HD3 last autumn."""
    membership.ensure_collectives()
    kirklees, wakefield = (directory.partner(name, locality=slug) for name, slug in
                           (("Kirklees Makers", "kirklees"), ("Wakefield Crafts", "wakefield")))
    choir = directory.activity(kirklees, title="Evening choir", categories=("choir",), venue=_venue("HD1 1AA"),
                               schedule=_weekly(date(2026, 6, 17), 18), cost_kind="price", cost_amount=300,
                               suitable_for=("young_people",))
    directory.activity(kirklees, title="Saturday walk", categories=("walking",), venue=_venue("HD3 4AB"),
                       schedule=_weekly(date(2026, 6, 20), 10))
    directory.activity(wakefield, title="Craft morning", categories=("crafts",), venue=_venue("WF9 2AB"),
                       schedule=_weekly(date(2026, 6, 15), 10))
    for name in ("Ann", "Bo"):
        register_interest(activity=choir, first_name=name, contact="", consent=False, ip=f"10.0.0.{len(name)}",
                          now=NOW)
    for month, district, words, searches in ((date(2026, 6, 1), "HD3", "climbing", 7),
                                             (date(2026, 6, 1), "HD1", "", 3),
                                             (date(2025, 10, 1), "HD3", "", 5)):
        db.session.add(SearchMiss(month=month, district=district, category="", days="", times="", words=words,
                                  searches=searches))
    db.session.commit()
    member, elsewhere = directory.user(Role.COLLECTIVE_MEMBER), directory.user(Role.COLLECTIVE_MEMBER)
    for user, slug in ((member, "kirklees"), (elsewhere, "wakefield")):
        membership.add_member(actor=None, collective=membership.get_collective(slug), user=user,
                              constituency=Constituency.LIVED_EXPERIENCE, role=MemberRole.MEMBER,
                              active_from=date(2026, 5, 1))
    champion, far_champion = directory.user(Role.CHAMPION), directory.user(Role.CHAMPION)
    for user, slug in ((champion, "kirklees"), (far_champion, "barnsley")):
        locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == slug))
        update_profile(actor=directory.coordinator, champion=user,
                       details=ChampionDetails(locality_ids=[locality_id]))
    db.session.commit()
    return {"member": member, "elsewhere": elsewhere, "champion": champion, "far_champion": far_champion,
            "partner_contact": directory.user(Role.PARTNER_CONTACT)}


def _cells(text: str, row: str) -> str:
    return text[text.index(row):]


def test_a_member_sees_the_localitys_gaps_and_can_start_a_call_for_each(client, auth, gaps, tmp_path):
    auth.login(gaps["member"])
    response = client.get("/collectives/kirklees/gaps")
    body, text = response.get_data(as_text=True), page_text(response)
    assert response.status_code == 200
    # by district: HD1 has the choir (an evening session, not free); HD3 the free Saturday walk
    districts = text[text.index("By postcode district"):text.index("By category")]
    assert "HD1 1 1 0 (a gap) 1 0 (a gap)" in districts  # activities, sessions this week, free, evening, weekend
    assert "HD3 1 1 1 0 (a gap) 1" in districts
    assert "HD5 0 (a gap)" in districts  # a district of the footprint with nothing on offer
    assert "WF9" not in text  # Wakefield's districts are Wakefield's
    # interest (2) and searches (3 near HD1) are people: "fewer than 5"; 7 "climbing" near HD3 this month
    assert "fewer than 5" in _cells(districts, "HD1 ")[:400]
    misses = text[text.index("Searches that found nothing Searches near"):]
    assert "HD3 Climbing “climbing” Any day Any time 7" in misses
    assert "HD1 Any category No words Any day Any time fewer than 5" in misses
    assert 'href="/collectives/kirklees/calls/new?district=HD3&amp;category=climbing"' in body
    assert 'href="/collectives/kirklees/calls/new?district=HD5"' in body
    assert 'href="/collectives/kirklees/calls/new?category=outdoor"' in body
    # the last 12 months add last autumn's 5 near HD3
    year = page_text(client.get("/collectives/kirklees/gaps?period=year"))
    assert "HD3 Any category No words Any day Any time 5" in year
    # the collective's page links here; so does the menu
    collective = client.get("/collectives/kirklees").get_data(as_text=True)
    assert 'href="/collectives/kirklees/gaps"' in collective and 'href="/gaps"' in collective
    assert "Gaps in Kirklees" in page_text(client.get("/gaps"))
    pages = {"gaps": body, "index": client.get("/gaps").get_data(as_text=True),
             "refused": client.get("/collectives/kirklees/gaps?period=forever").get_data(as_text=True)}
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    assert html_errors([tmp_path / f"{name}.html" for name in pages]) == []


def test_sorting_puts_the_gaps_first_and_the_csv_holds_the_same_figures(client, auth, gaps):
    auth.login(gaps["champion"])
    text = page_text(client.get("/collectives/kirklees/gaps?sort=evening"))
    districts = text[text.index("By postcode district"):text.index("By category")]
    assert districts.index("HD3 ") < districts.index("HD1 ")  # no evening activity first
    response = client.get("/collectives/kirklees/gaps.csv?period=month&sort=misses")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    start = rows.index(next(row for row in rows if row and row[0] == "Postcode district"))
    table = rows[start:rows.index([], start)]
    by_district = {row[0]: dict(zip(table[0], row)) for row in table[1:]}
    assert by_district["HD1"]["Searches that found nothing"] == "fewer than 5"
    assert by_district["HD1"]["“I'm interested” waiting"] == "fewer than 5"
    assert by_district["HD3"]["Searches that found nothing"] == "7"
    assert by_district["HD1"]["Meet in the evening"] == "1" and by_district["HD3"]["Meet in the evening"] == "0"
    assert ["HD3", "Climbing", "“climbing”", "Any day", "Any time", "7"] in rows
    assert "3" not in by_district["HD1"].values() and "2" not in by_district["HD1"].values()


@pytest.mark.parametrize("who, status", [("elsewhere", 403), ("far_champion", 403), ("partner_contact", 403),
                                         (None, 302)])
def test_others_may_not_see_a_localitys_gaps(client, auth, gaps, who, status):
    if who:
        auth.login(gaps[who])
    for url in ("/collectives/kirklees/gaps", "/collectives/kirklees/gaps.csv"):
        assert client.get(url).status_code == status
    if who in {"elsewhere", "far_champion"}:
        assert "Gaps in Kirklees" not in page_text(client.get("/gaps"))
        assert "/collectives/kirklees/gaps" not in client.get("/collectives/kirklees").get_data(as_text=True)


def test_query_arguments_that_make_no_sense_are_explained_or_ignored(client, coordinator, gaps):
    for url, message in (("/collectives/kirklees/gaps?period=forever", "Choose this month or the last 12 months."),
                         ("/collectives/kirklees/gaps?category=astrology", "Choose a category from the list."),
                         ("/collectives/kirklees/gaps.csv?period=%00", "Choose this month or the last 12 months.")):
        response = client.get(url)
        assert response.status_code == 400 and message in page_text(response)
    assert client.get("/collectives/kirklees/gaps?sort=banana&sort=evening").status_code == 200
    assert client.get("/collectives/atlantis/gaps").status_code == 404
    outdoor = page_text(client.get("/collectives/kirklees/gaps?category=outdoor"))
    assert "Evening choir" not in outdoor and "HD1 0 (a gap)" in outdoor  # the choir is music, not outdoors


def test_a_gap_links_to_the_call_form_filled_in_for_that_gap(app, client, coordinator, gaps):
    with app.test_request_context():
        url = call_for_bids_url("kirklees", district="WF9", category="climbing")
        assert call_for_bids_url("kirklees") == "/collectives/kirklees/calls/new"
    assert url == "/collectives/kirklees/calls/new?district=WF9&category=climbing"
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="WF9"' in form.get_data(as_text=True) and 'value="climbing"' in form.get_data(as_text=True)
