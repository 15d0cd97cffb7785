"""What accounts write to the outbox: invitations and new set-password links (issued by a coordinator),
forgotten-password links (asked for by anyone, answered the same whoever asks), and the security
message when a password changes. Each test says who receives which kind, and who does not."""
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.accounts.models import User, UserSession
from brokerage.accounts.reset import ANSWER
from brokerage.audit.models import AuditEvent
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.notifications.models import OutboxMessage
from tests.conftest import PASSWORD, page_text

NEW_PASSWORD = "plum umbrella tractor"


def outbox(app, kind: str | None = None) -> list[dict]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        return [{"kind": m.kind, "to": m.recipient_email, "user_id": m.recipient_user_id, "subject": m.subject,
                 "text": m.text_body, "html": m.html_body, "state": m.state}
                for m in db.session.scalars(query)]


def link_in(message: dict) -> str:
    return re.search(r"http://localhost(/set-password/\S+)", message["text"]).group(1)


def sessions_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id))


def actions(app, user_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "user", AuditEvent.object_id == user_id).order_by(AuditEvent.id)))


# Invitations

def test_an_invitation_is_emailed_to_the_invited_person_only_and_shown_to_the_coordinator(app, client, coordinator):
    detail = client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                   "roles": ["champion"]}).headers["Location"]
    shown = re.search(r'value="http://localhost(/set-password/[^"]+)"', client.get(detail).get_data(as_text=True))
    [message] = outbox(app)
    assert (message["kind"], message["to"], message["state"]) == ("invitation", "nia@example.org", "pending")
    assert link_in(message) == shown.group(1)
    assert f'href="http://localhost{shown.group(1)}"' in message["html"]
    assert "Casey Coordinator" in message["text"] and "champion" in message["text"]
    assert "Why you received this" in message["text"]


def test_a_new_link_is_emailed_too_and_the_old_one_stops_working(app, client, coordinator):
    detail = client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org",
                                                   "roles": ["champion"]}).headers["Location"]
    client.post(detail + "/password-link")
    first, second = outbox(app, "invitation")
    assert first["to"] == second["to"] == "nia@example.org" and link_in(first) != link_in(second)
    client.post("/logout")
    assert client.get(link_in(first)).status_code == 410
    assert client.get(link_in(second)).status_code == 200


def test_a_refused_invitation_writes_no_email(app, client, coordinator, make_user):
    make_user(Role.CHAMPION, email="taken@example.org")
    client.post("/accounts/invite", data={"name": "Twin", "email": "taken@example.org", "roles": ["champion"]})
    assert outbox(app) == []


def test_someone_who_is_not_a_coordinator_sends_no_invitation(app, client, auth):
    auth.login_as(Role.CHAMPION)
    assert client.post("/accounts/invite", data={"name": "X", "email": "x@example.org",
                                                 "roles": ["coordinator"]}).status_code == 403
    assert outbox(app) == []


# Forgotten passwords

@pytest.fixture
def member(make_user):
    return make_user(Role.COLLECTIVE_MEMBER, name="Morgan Member", email="morgan@example.org")


def ask(client, email, **kwargs):
    return client.post("/forgot-password", data={"email": email}, **kwargs)


def test_the_sign_in_page_links_to_the_forgotten_password_page(client):
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)
    page = client.get("/forgot-password")
    assert page.status_code == 200 and 'for="email"' in page.get_data(as_text=True)


def test_a_known_address_gets_a_link_that_works_once_and_ends_every_session(app, client, auth, member):
    other = app.test_client()
    Auth = type(auth)
    Auth(other, None).login(member)  # signed in elsewhere
    assert sessions_of(app, member.id) == 1
    response = ask(client, "  Morgan@Example.org ")
    assert response.status_code == 200 and ANSWER in page_text(response)
    [message] = outbox(app)
    assert (message["kind"], message["to"], message["user_id"]) == ("password_reset", "morgan@example.org", member.id)
    assert "works once" in message["text"]
    link = link_in(message)
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert sessions_of(app, member.id) == 0
    assert other.get("/account").status_code == 302  # the other browser is signed out
    assert client.get(link).status_code == 410
    assert client.post(link, data={"password": "another good passphrase", "confirm": "another good passphrase"}
                       ).status_code == 410
    assert client.post("/login", data={"email": member.email, "password": NEW_PASSWORD}).status_code == 302
    assert actions(app, member.id)[-2:] == ["account.password_reset_requested", "account.password_reset"]
    [changed] = outbox(app, "sign_in_changed")
    assert changed["to"] == "morgan@example.org" and "http://localhost/forgot-password" in changed["text"]


def test_the_link_expires_after_an_hour(app, client, member, fixed_now):
    ask(client, member.email)
    link = link_in(outbox(app)[0])
    fixed_now(fixed_now.now() + timedelta(minutes=59))
    assert client.get(link).status_code == 200
    fixed_now(fixed_now.now() + timedelta(minutes=1))
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and "expired" in page_text(response)
    assert client.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 302


def _timed(client, email) -> tuple[float, int, str]:
    started = time.monotonic()
    response = ask(client, email)
    return time.monotonic() - started, response.status_code, page_text(response)


def test_known_and_unknown_addresses_get_the_same_answer_in_at_least_the_same_time(app, client, member):
    minimum = app.config["PASSWORD_RESET_MIN_SECONDS"]
    known = _timed(client, member.email)
    unknown = _timed(client, "nobody@example.org")
    assert known[1:] == unknown[1:] == (200, known[2])
    assert ANSWER in known[2]
    assert known[0] >= minimum and unknown[0] >= minimum
    assert [m["to"] for m in outbox(app)] == [member.email]


@pytest.mark.parametrize("email", ["", "   ", "not an address", "x" * 100_000 + "@example.org", "ünïcödé@例え.jp",
                                   "<script>alert(1)</script>", "'; DROP TABLE x; --"])
def test_any_input_gets_the_same_answer_and_no_email(app, client, member, email):
    response = ask(client, email)
    assert response.status_code == 200 and ANSWER in page_text(response)
    assert outbox(app) == []


@pytest.mark.parametrize("size", [600 * 1024, 3 * 1024 * 1024])  # over the form's, then the request's limit
def test_an_enormous_form_gets_the_same_answer_and_no_email(app, client, member, size):
    response = ask(client, member.email + " " + "x" * size)
    assert response.status_code == 200 and ANSWER in page_text(response)
    assert outbox(app) == []


def test_a_control_character_is_refused_by_the_field_whoever_the_address_names(app, client, member):
    answers = {(r.status_code, page_text(r)) for r in (ask(client, "morgan@example.org\x00"),
                                                       ask(client, "nobody@example.org\x00"))}
    [(status, text)] = answers
    assert status == 400 and "cannot be saved" in text
    assert outbox(app) == []


def test_a_missing_field_gets_the_same_answer(app, client):
    response = client.post("/forgot-password", data={})
    assert response.status_code == 200 and ANSWER in page_text(response)


def test_without_the_csrf_token_nothing_is_sent(app, client, member):
    response = ask(client, member.email, csrf=False)
    assert response.status_code == 400
    assert outbox(app) == []


def test_a_deactivated_account_gets_no_link(app, client, make_user):
    user = make_user(Role.CHAMPION, email="gone@example.org")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert ANSWER in page_text(ask(client, "gone@example.org"))
    assert outbox(app) == []


def test_too_many_requests_for_one_address_get_the_same_answer_and_nothing_more(app, client, member):
    limit = app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]
    answers = {(r.status_code, page_text(r)) for r in (ask(client, member.email) for _ in range(limit + 2))}
    assert len(answers) == 1 and ANSWER in answers.pop()[1]
    assert len(outbox(app, "password_reset")) == limit


def test_too_many_requests_from_one_source_address_send_nothing_more(app, client, make_user):
    limit = app.config["PASSWORD_RESET_MAX_PER_IP"]
    people = [make_user(Role.CHAMPION) for _ in range(limit + 1)]
    app.config["PASSWORD_RESET_MIN_SECONDS"] = 0
    for person in people:
        assert ANSWER in page_text(ask(client, person.email))
    assert len(outbox(app, "password_reset")) == limit
    other_place = ask(app.test_client(), people[-1].email, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert ANSWER in page_text(other_place)
    assert [m["to"] for m in outbox(app, "password_reset")][-1] == people[-1].email


def test_changing_ones_password_sends_a_security_message_to_oneself(app, client, auth, make_user):
    user = auth.login_as(Role.CHAMPION, email="cat@example.org")
    bystander = make_user(Role.CHAMPION)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    [message] = outbox(app)
    assert (message["kind"], message["to"], message["user_id"]) == ("sign_in_changed", "cat@example.org", user.id)
    assert bystander.email not in {m["to"] for m in outbox(app)}
    assert NEW_PASSWORD not in message["text"] and PASSWORD not in message["text"]


def test_a_first_password_from_an_invitation_sends_no_change_message(app, client, coordinator):
    client.post("/accounts/invite", data={"name": "Nia Invited", "email": "nia@example.org", "roles": ["champion"]})
    client.post("/logout")
    link = link_in(outbox(app, "invitation")[0])
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert outbox(app, "sign_in_changed") == []
