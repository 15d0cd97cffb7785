"""Property-based checks: no search URL and no listing form makes the directory answer 5xx."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.extensions import db

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NAMES = ["q", "postcode", "distance", "category", "locality", "day", "time", "this_week", "free", "age",
         "suitable", "join", "access", "page"]
awkward = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["HD1", "hd12qa", "ZZ99 9ZZ", "'; drop table", "HD1 2", "nan", "inf", "-1", "1e400", "0",
                     "9" * 400, "\x00", "<script>alert(1)</script>", "music", "calderdale", "evening", "6"]),
)


@pytest.fixture
def reference(directory):
    directory.partner()
    db.session.commit()
    return directory


@FUZZ
@given(query=st.dictionaries(st.sampled_from(NAMES), awkward, max_size=6))
def test_the_search_never_fails_with_a_server_error(client, reference, query):
    response = client.get("/activities", query_string=query)
    assert response.status_code in {200, 400}  # 400: the app refuses NUL bytes before any view


FORM_NAMES = ["title", "description", "categories", "postcode", "frequency", "start_date", "start_time", "end_time",
              "weekday", "week_of_month", "until", "exceptions", "cost_kind", "cost_amount", "min_age", "max_age",
              "capacity", "suitable_for", "join_methods", "noise_level", "contact_email", "accessibility"]
VALID = {"title": "Pottery", "description": "Clay.", "categories": "1", "venue_name": "Hall", "postcode": "HX1 1QG",
         "frequency": "weekly", "start_date": "2026-06-18", "start_time": "14:00", "end_time": "16:00",
         "cost_kind": "free", "join_methods": "drop_in"}


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FORM_NAMES), awkward, max_size=4))
def test_the_listing_form_never_fails_with_a_server_error(client, coordinator, reference, changes):
    data = {**VALID, "provider": "partner-1", **changes}
    assert client.post("/activities/new", data=data).status_code in {200, 302, 400}
