"""The call pages are valid HTML by the Nu HTML Checker (one JVM for every page): the form (and
with an error), the list, the call's page for its issuer and for a partner, closing early, the
partner's starting page with its open calls, the bid form offering the call, and the report."""
import pytest

from tests.directory.test_html_validity import _check

from .test_views import FORM, _issued

pytestmark = pytest.mark.usefixtures("fixed_now", "world")


def test_the_call_pages_have_no_html_errors(app, client, auth, world, make_bid, tmp_path):
    call_id = _issued(app, world)
    make_bid("submitted", call_id=call_id, requested_pence=300_000, total_cost_pence=900_000)
    auth.login(world.coordinator)
    responses = {"form": client.get("/collectives/barnsley/calls/new?district=S70&category=sport"),
                 "form_error": client.post("/collectives/barnsley/calls/new", data={**FORM, "upper": "0"}),
                 "list": client.get("/calls"), "issuer": client.get(f"/calls/{call_id}"),
                 "close": client.get(f"/calls/{call_id}/close"),
                 "report": client.get("/reports?locality=barnsley&year=2026")}
    auth.logout()
    auth.login(world.reds_contact)
    responses |= {"partner": client.get(f"/calls/{call_id}"), "dashboard": client.get("/dashboard"),
                  "bid_form": client.get(f"/partners/{world.reds}/bids/new?call={call_id}")}
    files = []
    for name, response in responses.items():
        assert response.status_code in (200, 400), name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.get_data())
    assert _check(files) == []
