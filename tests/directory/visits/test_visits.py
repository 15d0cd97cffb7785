"""Guided first visits: asking (a person with no account, with a private status link; a worker,
signed in), the club's answer and who is told how, what happened after the session and the
report's counts (with consent only), the purge after retention, and that none of it is public."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from brokerage.audit.models import AuditEvent
from brokerage.core.values.roles import Role
from brokerage.directory.visits.models import GuidedVisit
from brokerage.extensions import db
from brokerage.notifications.models import OutboxMessage

from ...conftest import page_text
from ..conftest import NOW
from ..search.test_mark_filter import award
from ..test_html_validity import _check

FIRST = datetime(2026, 6, 17, 17, 0, tzinfo=timezone.utc)  # Wed 17 June, 6pm in London
SECOND = FIRST + timedelta(days=7)
PERSON = {"session": FIRST.isoformat(), "meet": "buddy", "first_name": "Ana", "phone": "07700 900123",
          "consent": "y", "may_count": "y"}


@pytest.fixture
def club(directory, now):
    """A marked club (Penistone Harriers) with a weekly activity and a contact who answers requests,
    and an unmarked club's activity."""
    harriers = directory.partner("Penistone Harriers")
    activity_id = directory.activity(partner=harriers, title="Walking football").id
    other = directory.partner("Elsewhere FC")
    unmarked_id = directory.activity(partner=other, title="Walking netball").id
    award(directory, harriers)
    lead, stranger = directory.contact_for(harriers), directory.contact_for(other)
    ids = {"activity": activity_id, "unmarked": unmarked_id, "partner": harriers.id, "lead": lead,
           "stranger": stranger}
    db.session.commit()
    return ids


def _visits() -> list[GuidedVisit]:
    db.session.expire_all()
    return list(db.session.scalars(select(GuidedVisit).order_by(GuidedVisit.id)))


def _messages(**where) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).filter_by(kind="guided_visit", **where)
                                   .order_by(OutboxMessage.id)))


def test_a_person_with_no_account_asks_and_follows_their_private_link(client, club):
    activity_page = page_text(client.get(f"/activities/{club['activity']}"))
    assert "Ask for a guided first visit" in activity_page
    form = client.get(f"/activities/{club['activity']}/guided-visit")
    assert form.headers["Cache-Control"] == "no-store"
    text = page_text(form)
    assert "Wed 17 Jun, 6–8pm" in text and "Wed 24 Jun, 6–8pm" in text and "3 months after the visit" in text

    response = client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    assert response.status_code == 200
    link = response.get_data(as_text=True).split('class="private-link"><a href="')[1].split('"')[0]
    (visit,) = _visits()
    assert (visit.first_name, visit.phone, visit.email, visit.meet, visit.may_count) == (
        "Ana", "07700 900123", "", "buddy", True)
    assert visit.starts_at == FIRST and visit.purge_after == FIRST + timedelta(hours=2, days=92)
    assert visit.token_hash and visit.token_hash not in link
    status = page_text(client.get(link))
    assert "Walking football" in status and "waiting for the club's answer" in status
    assert client.get(link + "x").status_code == 404
    (asked,) = _messages()
    assert asked.recipient_email == club["lead"].email and "Walking football" in asked.text_body
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "guided_visit.asked"))
    assert "Ana" not in str(audit.after) and "07700" not in str(audit.after)


@pytest.mark.parametrize(("changes", "message", "field"), [
    ({"session": (NOW - timedelta(days=5)).isoformat()}, "already happened", "session"),
    ({"consent": ""}, "Tick the box", "consent"),
    ({"phone": ""}, "Enter a phone number or an email address", "phone"),
    ({"email": "not-an-address"}, "like name@example.org", "email"),
])
def test_bad_requests_are_refused_next_to_their_field_keeping_what_was_typed(client, club, changes, message, field):
    response = client.post(f"/activities/{club['activity']}/guided-visit", data={**PERSON, **changes})
    assert response.status_code == 400
    assert message in page_text(response) and f'id="{field}-error"' in response.get_data(as_text=True)
    assert 'value="Ana"' in response.get_data(as_text=True)
    assert _visits() == []


def test_an_unmarked_club_offers_no_guided_visits_and_bots_save_nothing(client, club):
    assert "Ask for a guided first visit" not in page_text(client.get(f"/activities/{club['unmarked']}"))
    assert client.get(f"/activities/{club['unmarked']}/guided-visit").status_code == 404
    assert client.post(f"/activities/{club['activity']}/guided-visit",
                       data={**PERSON, "homepage": "http://spam.example"}).status_code == 200
    for _ in range(6):
        client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    assert len(_visits()) == 5  # the honeypot saved nothing, and the sixth from one address within minutes neither


def test_a_worker_asks_the_lead_offers_another_session_and_the_worker_is_told(client, auth, club):
    worker = auth.login_as(Role.CHAMPION, name="Wren Worker")
    response = client.post(f"/activities/{club['activity']}/guided-visit",
                           data={"session": FIRST.isoformat(), "meet": "lead", "consent": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/guided-visits/mine")
    (visit,) = _visits()
    assert visit.requester_id == worker.id and visit.first_name == "" and visit.token_hash is None

    auth.logout()
    auth.login(club["lead"])
    assert "Guided first visits to answer" in page_text(client.get("/dashboard"))
    page = page_text(client.get(f"/guided-visits/{visit.id}"))
    assert "Wren Worker (a worker, signed in)" in page and "Wed 24 Jun" in page
    refused = client.post(f"/guided-visits/{visit.id}/answer", data={"decision": "offer",
                                                                   "session": SECOND.isoformat()})
    assert refused.status_code == 400 and "Add a note saying why" in page_text(refused)
    assert client.post(f"/guided-visits/{visit.id}/answer", data={
        "decision": "offer", "session": SECOND.isoformat(), "note": "Our lead is away that week."}).status_code == 302
    (visit,) = _visits()
    assert (visit.state, visit.starts_at, visit.answer_note) == ("offered", SECOND, "Our lead is away that week.")
    assert client.post(f"/guided-visits/{visit.id}/answer", data={"decision": "accept"},
                       follow_redirects=True).status_code == 200
    assert _visits()[0].state == "offered"  # answered once

    told = _messages(recipient_user_id=worker.id)
    assert len(told) == 1 and "offers another" in told[0].text_body and "Our lead is away" in told[0].text_body
    auth.logout()
    auth.login(worker)
    assert "the club offers another session" in page_text(client.get("/dashboard"))
    assert "Wed 24 Jun" in page_text(client.get("/guided-visits/mine"))


def test_a_phone_only_request_asks_the_lead_to_ring_and_sends_no_email(client, auth, club):
    client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    (visit,) = _visits()
    auth.login(club["lead"])
    assert "ring them on 07700 900123" in page_text(client.get(f"/guided-visits/{visit.id}"))
    answered = client.post(f"/guided-visits/{visit.id}/answer", data={"decision": "accept"}, follow_redirects=True)
    assert "Ring them to tell them" in page_text(answered)
    assert _visits()[0].state == "accepted"
    assert [message.recipient_email for message in _messages()] == [club["lead"].email]  # only the club was told


def test_after_the_session_the_club_records_what_happened_and_the_report_counts_with_consent(client, auth, club, now):
    client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    client.post(f"/activities/{club['activity']}/guided-visit", data={**PERSON, "may_count": ""})
    counted, uncounted = _visits()
    auth.login(club["lead"])
    early = client.post(f"/guided-visits/{counted.id}/outcome", data={"came": "yes"}, follow_redirects=True)
    assert "You can record this after the session" in page_text(early)
    now(FIRST + timedelta(hours=3))
    assert "Send the answer" not in page_text(client.get(f"/guided-visits/{counted.id}"))  # closed
    assert client.post(f"/guided-visits/{counted.id}/answer", data={"decision": "accept"}).status_code == 302
    assert _visits()[0].state == "asked"
    refused = client.post(f"/guided-visits/{counted.id}/outcome", data={"came": "no", "came_back": "yes"})
    assert refused.status_code == 400 and "cannot have come back" in page_text(refused)
    for visit_id in (counted.id, uncounted.id):
        assert client.post(f"/guided-visits/{visit_id}/outcome",
                           data={"came": "yes", "came_back": "yes"}).status_code == 302
    partner_page = page_text(client.get(f"/partners/{club['partner']}"))
    assert "Guided first visits (counted with consent) 1 Came 1 Came back 1" in partner_page
    auth.logout()
    auth.login_as(Role.COORDINATOR)
    assert "Guided first visits (counted with consent) 1 Came 1 Came back 1" in page_text(
        client.get(f"/partners/{club['partner']}/guided-visits"))
    assert [event for event in db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "guided_visit.outcome"))] == ["guided_visit.outcome"] * 2


def test_details_are_purged_after_retention_and_the_counts_stay(client, runner, club, now):
    response = client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    link = response.get_data(as_text=True).split('class="private-link"><a href="')[1].split('"')[0]
    now(FIRST + timedelta(days=90))
    assert "Nothing" not in runner.invoke(args=["directory", "purge-guided-visits"]).output
    assert _visits()[0].first_name == "Ana"
    now(FIRST + timedelta(days=93))
    result = runner.invoke(args=["directory", "purge-guided-visits"])
    assert "purged of personal details: 1" in result.output
    (visit,) = _visits()
    assert (visit.first_name, visit.phone, visit.token_hash, visit.may_count) == ("", "", None, True)
    assert client.get(link).status_code == 404


FORBIDDEN = [("get", "/partners/{partner}/guided-visits"), ("get", "/guided-visits/{visit}"),
             ("post", "/guided-visits/{visit}/answer"), ("post", "/guided-visits/{visit}/outcome")]


def test_requests_are_never_public_nor_seen_by_another_club(client, auth, club):
    client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)
    (visit,) = _visits()
    paths = [(method, path.format(partner=club["partner"], visit=visit.id)) for method, path in FORBIDDEN]
    def send(method: str, path: str):
        return getattr(client, method)(path, data={"decision": "accept"} if method == "post" else None)

    for method, path in paths:
        answer = send(method, path)
        assert answer.status_code == 302 and "/login" in answer.headers["Location"], path
    auth.login(club["stranger"])
    for method, path in paths:
        assert send(method, path).status_code == 403, path
    assert "Guided first visits" not in page_text(client.get(f"/partners/{club['partner']}"))
    auth.logout()
    auth.login_as(Role.CHAMPION)  # a worker who did not ask sees nothing of it either
    assert client.get(f"/guided-visits/{visit.id}").status_code == 403
    assert "Ana" not in page_text(client.get("/guided-visits/mine"))
    assert _visits()[0].state == "asked"


def test_the_guided_visit_pages_have_no_html_errors(client, auth, club, tmp_path):
    pages = {"ask": client.get(f"/activities/{club['activity']}/guided-visit"),
             "refused": client.post(f"/activities/{club['activity']}/guided-visit", data={**PERSON, "phone": ""}),
             "asked": client.post(f"/activities/{club['activity']}/guided-visit", data=PERSON)}
    link = pages["asked"].get_data(as_text=True).split('class="private-link"><a href="')[1].split('"')[0]
    pages["status"] = client.get(link)
    visit_id = _visits()[0].id
    auth.login(club["lead"])
    pages |= {"requests": client.get(f"/partners/{club['partner']}/guided-visits"),
              "request": client.get(f"/guided-visits/{visit_id}"), "dashboard": client.get("/dashboard")}
    files = []
    for name, response in pages.items():
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.get_data())
    assert _check(files) == []
