"""Property-based checks: the interest form and the shortlist never answer with a server error."""
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from brokerage.extensions import db

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
awkward = st.one_of(
    st.text(max_size=400),
    st.sampled_from(["", "y", "on", "0", "-1", "9" * 40, "\x00", "<script>alert(1)</script>", "a@b", "@",
                     "+44 (0) 1484 123456", "javascript:alert(1)", "ana@example.org", "1e400", "NaN"]),
)


@pytest.fixture
def activity_id(directory, fixed_now):
    activity_id = directory.activity().id
    db.session.commit()
    return activity_id


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["first_name", "contact", "consent"]), awkward, max_size=3))
def test_the_interest_form_never_fails_with_a_server_error(client, activity_id, data):
    response = client.post(f"/activities/{activity_id}/interested", data=data, environ_base={
        "REMOTE_ADDR": "203.0.113.9"})
    assert response.status_code in {200, 302, 400, 429}
    if response.status_code == 200 and "<script>alert(1)</script>" in str(data.values()):
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@FUZZ
@given(path=st.sampled_from(["/shortlist/add", "/shortlist/remove", "/shortlist/note"]),
       data=st.dictionaries(st.sampled_from(["activity_id", "next", "note"]), awkward, max_size=3))
@example(path="/shortlist/add", data={"activity_id": "\u00b9"})  # a digit to str.isdigit, not to int()
@example(path="/shortlist/remove", data={"activity_id": "\u00b9"})
def test_the_shortlist_never_fails_with_a_server_error(client, activity_id, path, data):
    response = client.post(path, data=data)
    assert response.status_code in {200, 302, 400, 404}


@FUZZ
@given(token=st.text(min_size=1, max_size=300).filter(lambda text: "/" not in text and text not in {".", ".."}))
def test_any_shared_token_is_a_page_or_a_404(client, activity_id, token):
    assert client.get("/shortlist/" + token).status_code in {200, 400, 404}
