"""Property-based checks: no input makes the bid forms answer 5xx (security.md row 19), and
bid text is shown as text, never as markup (row 18)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
awkward = st.one_of(st.text(max_size=40), st.sampled_from(
    ["-1", "0", "1e9", "NaN", "inf", "99999999999999999999999", "1,2,3", "£", "0.001", "2026-13-45", "9999-12-31",
     "0001-01-01", "\x00", "<script>alert(1)</script>", " " * 10]))

pytestmark = pytest.mark.usefixtures("fixed_now")


@FUZZ
@given(total=awkward, requested=awkward, start=awkward, end=awkward, participants=awkward, locality=awkward,
       action=st.sampled_from(["check", "save"]))
def test_the_bid_form_never_fails_with_a_server_error(client, auth, world, total, requested, start, end,
                                                      participants, locality, action):
    if not getattr(client, "_signed_in", False):
        auth.login(world.reds_contact)
        client._signed_in = True
    response = client.post(f"/partners/{world.reds}/bids/new", data={
        "title": "T", "summary": "S", "who_for": "W", "how_reached": "H", "total_cost": total, "requested": requested,
        "start_on": start, "end_on": end, "expected_participants": participants, "locality_id": locality,
        "action": action})
    assert response.status_code in {200, 302, 400}


@FUZZ
@given(amount=awkward, status=awkward, source=awkward)
def test_the_match_line_form_never_fails_with_a_server_error(client, auth, world, make_bid, amount, status, source):
    if not getattr(client, "_bid_id", None):
        auth.login(world.reds_contact)
        client._bid_id = make_bid(lines=())
    response = client.post(f"/bids/{client._bid_id}/lines/new", data={"source": source, "amount": amount,
                                                                       "status": status})
    assert response.status_code in {302, 400}


def test_bid_text_is_shown_inert(client, auth, world, make_bid):
    bid_id = make_bid(title='<script>alert(1)</script>"><img src=x onerror=alert(1)>')
    auth.login(world.reds_contact)
    body = client.get(f"/bids/{bid_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
