"""Browser journey for issue 16's messages: a coordinator opens a vote, a member follows the link
in the message the opening wrote to the outbox, answers the question about connections and
votes; once the decision lands, the partner's decision message is in the outbox and its link
opens the bid. (A real SMTP server's delivery is tested with the delivery worker.)"""
import pytest
from sqlalchemy import select

from brokerage.extensions import db
from brokerage.notifications.models import OutboxMessage
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.browser.test_vote_journey import TITLE, answer_and_vote, sign_out, submit_screen_and_open
from tests.collectives.conftest import add_member, collectives, electorate, funded, make_bid, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]


def message_link(app, kind: str, email: str) -> str:
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == kind,
                                                                OutboxMessage.recipient_email == email))
        assert message is not None, f"no {kind} message for {email}"
        return next(word for word in message.text_body.split() if word.startswith("http"))


def test_a_member_follows_the_vote_message_and_the_partner_is_told_the_decision(app, page, live_server, world,
                                                                                electorate, make_bid):
    bid_id = make_bid()
    submit_screen_and_open(page, live_server, bid_id)

    ash = electorate["Ash Carer"].email
    link = message_link(app, "vote_opened", ash)
    assert link.startswith(live_server + "/polls/")
    sign_in(page, live_server, ash)
    page.goto(link)
    check_page_basics(page)
    page.get_by_label("No, I have no connection to declare").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Support", exact=False).first.check()
    page.get_by_role("button", name="Cast my vote").click()
    assert "You voted: Support" in page.inner_text("main")
    sign_out(page)

    for name in ("Pat Barnsley", "Bo Staff", "Di Community"):
        answer_and_vote(page, live_server, electorate[name].email, "Support")

    bid_link = message_link(app, "decision", "lee@example.org")
    assert bid_link == f"{live_server}/bids/{bid_id}"
    sign_in(page, live_server, "lee@example.org")
    page.goto(bid_link)
    assert TITLE in page.inner_text("main") and "Approved" in page.inner_text("main")

