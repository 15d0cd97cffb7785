"""The issue's bad input, on the pages that take it: the search page and the API say what to
fix (a message by the field; a 400 with a reason), the listing form keeps what was typed, and
none of it is ever a 500. Postcodes shaped right but unknown fall back to their district."""
import re

import pytest

from ..conftest import page_text
from .conftest import _form


@pytest.mark.parametrize("query, heading", [
    ("postcode=HD1", "near HD1, within 5 miles"),
    ("postcode=hd12qa", "near HD1 2QA, within 5 miles"),
    ("postcode=S70&distance=", "near S70, within 5 miles"),
    ("q=", "1 activity found"),
    ("q=+++&postcode=s70", "Every activity near S70, within 5 miles Change your search 1 activity found"),
])
def test_postcodes_written_any_way_and_empty_text_still_search(client, listed, query, heading):
    response = client.get(f"/activities?{query}")
    assert response.status_code == 200
    assert "There is a problem" not in page_text(response) and heading in page_text(response)


@pytest.mark.parametrize("query, message", [
    ("postcode=ZZ99+9ZZ", "Enter a postcode, like HD1 2QA, or the first part of one, like HD1."),
    ("postcode=HD1+2", "Enter a postcode, like HD1 2QA"),
    ("postcode=" + "HD1" * 100, "Enter a postcode"),
    ("postcode=HD1&distance=0", "Choose a distance from 0.1 to 50 miles."),
    ("postcode=HD1&distance=-5", "Choose a distance from 0.1 to 50 miles."),
    ("postcode=HD1&distance=1e308", "Choose a distance from 0.1 to 50 miles."),
    ("postcode=HD1&distance=inf", "Enter a distance in miles, like 5."),
    ("postcode=HD1&distance=nan", "Enter a distance in miles, like 5."),
    ("page=0", "That page does not exist."),
    ("page=-1", "That page does not exist."),
    ("page=abc", "That page does not exist."),
    ("page=99999999999999999999", "That page does not exist."),
    ("q=" + "x" * 5000, "Use fewer words: up to 200 characters."),
    ("q=" + "art+" * 3000, "Use fewer words: up to 200 characters."),
    ("age=old", "Enter an age from 0 to 120."),
    ("age=1000000000000", "Enter an age from 0 to 120."),
])
def test_bad_search_input_is_explained_on_the_page(client, listed, query, message):
    response = client.get(f"/activities?{query}")
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and message in page_text(response)
    body = response.get_data(as_text=True)
    summary = body[body.index('class="error-summary"'):body.index("</ul>", body.index('class="error-summary"'))]
    for target in re.findall(r'href="#([^"]+)"', summary):  # each link leads to something on the page
        assert f'id="{target}"' in body, target


@pytest.mark.parametrize("path", [
    "/api/v1/services?search=" + "x" * 10_000, "/api/v1/services?page=-1", "/api/v1/services?per_page=abc",
    "/api/v1/services?page=99999999999999999999999999", "/api/v1/service_at_locations?postcode=HD1&proximity=-1",
    "/api/v1/service_at_locations?postcode=hd1+2", "/api/v1/service_at_locations?postcode=HD1&proximity=nan",
])
def test_bad_api_parameters_answer_400_with_a_reason(client, listed, path):
    response = client.get(path)
    assert response.status_code == 400 and response.json["message"]


@pytest.mark.parametrize("path", [
    "/api/v1/services?search=", "/api/v1/service_at_locations?postcode=hd12qa",
    "/api/v1/service_at_locations?postcode=HD1",
])
def test_empty_search_and_postcodes_written_any_way_answer_the_api(client, listed, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("changes, message", [
    ({"until": "2026-06-01"}, "The last date must be on or after the first date."),
    ({"frequency": "monthly", "week_of_month": "1"}, "Choose the day of the week a monthly activity meets on."),
    ({"frequency": "monthly", "weekday": "2"}, "Choose which week of the month: first to fourth, or last."),
    ({"frequency": "monthly", "weekday": "9", "week_of_month": "1"}, "Not a valid choice."),
    ({"frequency": "yearly"}, "Not a valid choice."),
    ({"start_date": ""}, "Enter the first date."),
    ({"start_date": "31/02/2026"}, "Enter a real date, like 2026-04-01."),
    ({"until": "someday"}, "Enter a real date, like 2026-04-01."),
    ({"start_time": "25:00"}, "Enter a time on the 24-hour clock, like 18:00."),
    ({"end_time": "14:00"}, "The end time must be after the start time."),
    ({"min_age": "eighteen"}, "Enter an age from 0 to 120."),
    ({"min_age": "30", "max_age": "20"}, "The oldest age must be the same as or more than the youngest age."),
    ({"capacity": "9" * 40}, "Enter a number from 1 to 10,000."),
    ({"postcode": "ZZ99 9ZZ"}, "Enter a postcode, like HD1 2QA"),
    ({"postcode": "'; drop table"}, "Enter a postcode, like HD1 2QA"),
    ({"postcode": "TR19 7AA"}, "know where that postcode is"),
])
def test_invalid_schedules_and_venues_are_explained_and_the_answers_kept(client, coordinator, directory, now,
                                                                          changes, message):
    partner = directory.partner()
    response = client.post("/activities/new", data=_form(directory, partner, **changes))
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and message in page_text(response)
    assert 'value="Fortnightly pottery"' in response.get_data(as_text=True)
