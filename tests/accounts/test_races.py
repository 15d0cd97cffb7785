"""Accounts under simultaneous requests, served by gunicorn with 4 worker processes on the test's
database (tests/gunicorn_server.py): an invitation link sets one password however its answers are
timed, and the sign-in throttle counts every guess, so more workers never mean more guesses."""
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash

from brokerage.accounts import services as accounts
from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.extensions import db
from tests.conftest import PASSWORD
from tests.gunicorn_server import Browser, at_once

ROUNDS = 3
AT_ONCE = 4


def _invite(app, coordinator_id: int, number: int) -> tuple[int, str]:
    with app.test_request_context():
        user, token = accounts.invite_user(actor=db.session.get(User, coordinator_id),
                                           email=f"invitee{number}@example.org", name=f"Invitee {number}",
                                           roles=[Role.CHAMPION], now=datetime.now(timezone.utc))
        db.engine.dispose()  # nothing of ours stays open while the server works on the same database
        return user.id, token


def _password_set_events(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "account.password_set", AuditEvent.object_id == user_id))


def _stored_hash(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def test_an_invitation_link_answered_several_times_at_once_sets_one_password(app, live_gunicorn, make_user):
    coordinator = make_user(Role.COORDINATOR)
    for number in range(ROUNDS):
        user_id, token = _invite(app, coordinator.id, number)
        path = f"/set-password/{token}"
        browsers = [Browser(live_gunicorn) for _ in range(AT_ONCE)]
        for browser in browsers:
            assert browser.get(path).status == 200
        passwords = [f"meadow lantern {n} copper kettle" for n in range(AT_ONCE)]
        answers = at_once(*(lambda b=browser, p=password: b.post(path, {"password": p, "confirm": p})
                            for browser, password in zip(browsers, passwords)))
        statuses = [getattr(answer, "status", answer) for answer in answers]
        assert all(isinstance(status, int) and status < 500 for status in statuses), (statuses, live_gunicorn.errors)
        winners = [password for password, answer in zip(passwords, answers) if answer.status == 302]
        assert len(winners) == 1, statuses
        assert all("already been used" in answer.body for answer in answers if answer.status != 302)
        assert _password_set_events(app, user_id) == 1
        assert check_password_hash(_stored_hash(app, user_id), winners[0])
        Browser(live_gunicorn).login(f"invitee{number}@example.org", winners[0])


def test_simultaneous_wrong_passwords_are_all_counted_by_the_sign_in_throttle(app, live_gunicorn, make_user):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
    for number in range(ROUNDS):
        user = make_user(Role.CHAMPION)
        address = f"198.51.100.{number + 1}"
        browsers = [Browser(live_gunicorn, source=address) for _ in range(3 * limit)]
        for browser in browsers:
            browser.get("/login")
        answers = at_once(*(lambda b=browser, n=n: b.post("/login", {"email": user.email, "password": f"guess {n}"})
                            for n, browser in enumerate(browsers)))
        statuses = sorted(getattr(answer, "status", answer) for answer in answers)
        assert statuses == [200] * limit + [429] * (2 * limit), (statuses, live_gunicorn.errors)



def _only_coordinators(app, *keep: int) -> None:
    """Set-up: every other coordinator from an earlier round is deactivated, straight in the table."""
    with app.app_context():
        db.session.execute(update(User).where(User.id.not_in(keep)).values(active=False))
        db.session.commit()
        db.engine.dispose()


def test_two_coordinators_removing_each_others_role_at_once_leave_one_who_can_sign_in(app, live_gunicorn, make_user):
    for _ in range(2 * ROUNDS):  # the window is narrow: it was crossed in about one round in six
        pair = [make_user(Role.COORDINATOR), make_user(Role.COORDINATOR)]
        _only_coordinators(app, *(user.id for user in pair))
        browsers = [Browser(live_gunicorn).login(user.email, PASSWORD) for user in pair]
        answers = at_once(*(lambda b=browser, other=other: b.post(f"/accounts/{other.id}/roles",
                                                                  {"roles": Role.CHAMPION.value})
                            for browser, other in zip(browsers, reversed(pair))))
        statuses = [getattr(answer, "status", answer) for answer in answers]
        assert all(isinstance(status, int) and status < 500 for status in statuses), (statuses, live_gunicorn.errors)
        with app.app_context():
            assert accounts._usable_coordinator_count() == 1, statuses
