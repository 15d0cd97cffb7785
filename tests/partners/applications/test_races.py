"""Partner applications under simultaneous requests, served by gunicorn with 4 worker processes on
the test's database (tests/gunicorn_server.py): two coordinators accepting, or one accepting while
the other declines, the same application at the same moment make one decision: one partner at
most, one decision in the audit trail, and the other coordinator is told it was already decided."""

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.partners.applications.models import PartnerApplication
from brokerage.partners.models import Partner
from tests.conftest import PASSWORD
from tests.gunicorn_server import Browser, at_once
from tests.partners.applications.test_applications import applied, audit_actions, form  # noqa: F401 (fixtures)


@pytest.mark.parametrize("second", ["accept", "decline"])
def test_two_coordinators_deciding_one_application_at_once_make_one_decision(
    app,
    applied,  # noqa: F811
    live_gunicorn,
    make_user,
    second,
):
    with app.app_context():
        db.engine.dispose()  # nothing of ours stays open while the server works on the same database
    page = f"/partners/applications/{applied}"
    browsers = [Browser(live_gunicorn).login(make_user(Role.COORDINATOR).email, PASSWORD) for _ in range(2)]
    for browser in browsers:
        assert browser.get(page).status == 200
    answers = at_once(
        lambda: browsers[0].post(f"{page}/accept"),
        lambda: browsers[1].post(f"{page}/{second}", {"reason": "Not in our area"}),
    )
    statuses = [getattr(answer, "status", answer) for answer in answers]
    assert all(isinstance(status, int) and status < 500 for status in statuses), (statuses, live_gunicorn.errors)
    with app.app_context():
        state = db.session.scalar(select(PartnerApplication.state).where(PartnerApplication.id == applied))
        partners = db.session.scalar(select(func.count()).select_from(Partner))
    decisions = [action for action in audit_actions(app) if action in {"partner_application.accepted", "partner_application.declined"}]
    assert len(decisions) == 1, decisions
    assert (state, partners) in {("accepted", 1), ("declined", 0)}, (state, partners)
