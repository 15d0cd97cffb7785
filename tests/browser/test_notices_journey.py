"""Browser journey for issue 16's messages, through a real SMTP server (aiosmtpd): a coordinator
opens a vote, the delivery worker sends the members' emails, a member follows the link in the
email that arrived, answers the question about connections and votes; once the decision lands,
the worker sends it, and the link in the email the partner receives opens the bid."""
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from brokerage.core.values import timeutils
from brokerage.notifications.delivery import deliver_due
from brokerage.notifications.transport import SMTPTransport
from tests.browser.test_smoke import check_page_basics, sign_in
from tests.browser.test_vote_journey import TITLE, answer_and_vote, sign_out, submit_screen_and_open
from tests.collectives.conftest import add_member, collectives, electorate, funded, make_bid, world  # noqa: F401
from tests.notifications.conftest import smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fixed_now")]


def deliver(app, smtp_server) -> list[EmailMessage]:
    """Run the worker's delivery against the test SMTP server; the emails that arrived, as read."""
    arrived = len(smtp_server.received)
    transport = SMTPTransport(dict(app.config, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5,
                                   MAIL_DEFAULT_SENDER="Creative Minds <team@example.org>"))
    with app.app_context():
        sent, not_sent = deliver_due(timeutils.utcnow(), transport)
    assert sent > 0 and not_sent == 0
    return [message_from_bytes(envelope.content, policy=policy.default)
            for envelope in smtp_server.received[arrived:]]


def email_to(emails: list[EmailMessage], address: str, subject_starts: str) -> EmailMessage:
    [email] = [each for each in emails if address in each["To"] and each["Subject"].startswith(subject_starts)]
    return email


def link_in(email: EmailMessage, starts: str) -> str:
    """The link the plain-text part gives, which the HTML part links to as well."""
    plain = email.get_body(("plain",)).get_content()
    link = next(word for word in plain.split() if word.startswith(starts))
    assert f'href="{link}"' in email.get_body(("html",)).get_content()
    return link


def test_a_member_follows_the_vote_email_and_the_partner_is_emailed_the_decision(app, page, live_server, world,
                                                                                 electorate, make_bid,
                                                                                 smtp_server):
    bid_id = make_bid()
    submit_screen_and_open(page, live_server, bid_id)

    ash = electorate["Ash Carer"].email
    opened = deliver(app, smtp_server)
    assert {email["To"].addresses[0].addr_spec for email in opened} == {
        person.email for person in electorate.people.values()}  # every elector, nobody else
    vote_email = email_to(opened, ash, "Vote open:")
    assert TITLE in vote_email["Subject"] and vote_email["List-Unsubscribe"]
    link = link_in(vote_email, live_server + "/polls/")
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

    decision_email = email_to(deliver(app, smtp_server), "lee@example.org", "Decision on")
    assert "Decision: Approved" in decision_email.get_body(("plain",)).get_content()
    bid_link = link_in(decision_email, live_server + "/bids/")
    assert bid_link == f"{live_server}/bids/{bid_id}"
    sign_in(page, live_server, "lee@example.org")
    page.goto(bid_link)
    assert TITLE in page.inner_text("main") and "Approved" in page.inner_text("main")
