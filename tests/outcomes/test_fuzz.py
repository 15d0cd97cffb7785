"""No input makes the story form or the report pages answer 5xx (security.md row 19), and what
people type is shown as text, with links only to http(s) (row 18)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.extensions import db
from brokerage.outcomes.stories.models import CONSENTS

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "\x00",
            "=1+1", "\u202e", "9" * 30, "2026-02-30", "https://example.org/a b", "data:text/html,x"]
awkward = st.one_of(st.text(max_size=300), st.sampled_from(PAYLOADS + ["", " ", "é" * 11000]))


@FUZZ
@given(title=awkward, text=awkward, media_url=awkward, reporter=awkward,
       told_on=st.one_of(awkward, st.dates().map(str)), consent=st.one_of(st.sampled_from(list(CONSENTS)), awkward))
def test_the_story_form_never_fails_with_a_server_error(client, coordinator, outcomes, title, text, media_url,
                                                         reporter, told_on, consent):
    if not hasattr(client, "project_id"):
        client.project_id = outcomes.project.id
        db.session.commit()  # before the requests: SQLite would hold the write lock
    response = client.post(f"/wellbeing-measures/projects/{client.project_id}/stories/new", data={
        "title": title, "text": text, "media_url": media_url, "reporter": reporter, "told_on": told_on,
        "consent": consent})
    assert response.status_code in {200, 302, 400}  # 400: a NUL character, refused for every form
    body = response.get_data(as_text=True)
    assert "<script>alert(1)" not in body and 'href="javascript:' not in body


@FUZZ
@given(year=awkward, kind=st.sampled_from(["project", "partner", "locality"]),
       scope_id=st.integers(min_value=-5, max_value=10**12))
def test_report_pages_never_fail_with_a_server_error(client, coordinator, year, kind, scope_id):
    for url in (f"/impact/reports/{kind}/{scope_id}", f"/impact/reports/{kind}/{scope_id}.csv", "/impact",
                "/impact/reports", "/impact/reports/all"):
        assert client.get(url, query_string={"year": year}).status_code in {200, 400, 404}
