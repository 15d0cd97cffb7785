"""The mark under simultaneous requests, served by gunicorn with 4 worker processes on the test's
database (tests/gunicorn_server.py): two coordinators deciding one application at the same moment
make one decision, audited once, and the other is told it was already decided."""
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.partners.marks.models import MarkApplication
from tests.conftest import PASSWORD
from tests.gunicorn_server import Browser, at_once
from tests.partners.marks.test_marks import applied, audit_actions, decision, partner, scheme  # noqa: F401 (fixtures)


def test_two_coordinators_deciding_one_application_at_once_make_one_decision(app, applied, live_gunicorn,  # noqa: F811
                                                                             make_user):
    award = decision(app)
    refuse = decision(app, met=("met", "not_yet"), missing="Two in-date certificates, please")
    with app.app_context():
        db.engine.dispose()  # nothing of ours stays open while the server works on the same database
    path = f"/partners/marks/applications/{applied}"
    browsers = [Browser(live_gunicorn).login(make_user(Role.COORDINATOR).email, PASSWORD) for _ in range(2)]
    for browser in browsers:
        assert browser.get(path).status == 200
    answers = at_once(lambda: browsers[0].post(path, award), lambda: browsers[1].post(path, refuse))
    statuses = [getattr(answer, "status", answer) for answer in answers]
    assert all(isinstance(status, int) and status < 500 for status in statuses), (statuses, live_gunicorn.errors)
    with app.app_context():
        state = db.session.scalar(select(MarkApplication.state).where(MarkApplication.id == applied))
    decisions = [action for action in audit_actions(app) if action in {"mark.awarded", "mark.not_yet"}]
    assert state in {"awarded", "not_yet"} and len(decisions) == 1, (state, decisions)
