"""Votes under real concurrency, scaled down from performance.md W1 and W2 (security.md rows
12-14): 16 coordinators' requests open votes at once against a fund that holds 12 awards ->
exactly 12 polls, the ledger balances, the rest wait for funds, no 5xx; 20 members each send
the same vote 4 times at once -> exactly 20 current votes, no errors."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.collectives.bids import services as bid_services, moves as bid_workflow
from brokerage.collectives.money import services as funds, ledger
from brokerage.collectives.voting import opening as poll_opening, ballots as poll_voting, access as polls
from brokerage.collectives.bids.models import Bid
from brokerage.collectives.bids.lifecycle import BidStatus
from brokerage.collectives.voting.rules import Choice
from brokerage.collectives.models import Constituency
from brokerage.collectives.money.models import EntryKind, Fund, LedgerEntry
from brokerage.collectives.voting.models import Poll, Vote
from brokerage.collectives.voting.ballots import Ballot
from brokerage.audit.models import AuditEvent
from brokerage.extensions import db
from brokerage.partners.organisations import services as partner_services

from ..bids.helpers import CONFIRMED_LINE, NOW, bid_details, get_bid, load
from .helpers import get_poll

VOTERS, REPEATS, BYSTANDERS = 20, 4, 4


def _open_poll(world) -> int:
    contact, boss = load(world.reds_contact), load(world.coordinator)
    bid = bid_services.create_draft(actor=contact, partner=partner_services.get_partner(world.reds),
                                    details=bid_details(), now=NOW)
    bid_services.add_line(actor=contact, bid=bid, line=CONFIRMED_LINE, now=NOW)
    bid_workflow.submit(actor=contact, bid=bid, now=NOW)
    bid_workflow.pick_up(actor=boss, bid=bid, now=NOW)
    bid_workflow.mark_ready_for_vote(actor=boss, bid=bid, now=NOW)
    return poll_opening.open_vote(actor=boss, bid=get_bid(bid.id), closes_at=NOW + timedelta(days=3), now=NOW).id


def test_concurrent_duplicate_votes_leave_exactly_one_current_vote_each(app, world, make_user, add_member):
    voters = [make_user(Role.COLLECTIVE_MEMBER, name=f"Voter {n}") for n in range(VOTERS - 1)]
    for voter in voters:
        add_member(voter, "barnsley", Constituency.CARER)
    voters.append(world.barnsley_member)
    for n in range(BYSTANDERS):  # members who have not voted keep the tied poll open
        add_member(make_user(Role.COLLECTIVE_MEMBER, name=f"Bystander {n}"), "barnsley", Constituency.COMMUNITY)
    with app.app_context():
        poll_id = _open_poll(world)
        for voter in voters:
            poll_voting.declare(actor=load(voter), poll_id=poll_id, interest=None, now=NOW)

    barrier = threading.Barrier(VOTERS * REPEATS)
    errors: list[BaseException] = []

    def cast(user_id: int, choice: Choice) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                actor = db.session.get(type(world.coordinator), user_id)
                poll_voting.cast_vote(actor=actor, poll_id=poll_id, ballot=Ballot(choice),
                                      now=NOW + timedelta(minutes=1))
            except BaseException as error:  # noqa: BLE001  (collected and asserted below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cast, args=(voter.id, Choice.SUPPORT if index % 2 else Choice.OPPOSE))
               for index, voter in enumerate(voters) for _ in range(REPEATS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with app.app_context():
        current = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id,
                                                                              Vote.is_current))
        total = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id))
        cast = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "poll.vote_cast", AuditEvent.object_id == poll_id))
        changed = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "poll.vote_changed", AuditEvent.object_id == poll_id))
        assert (current, total) == (VOTERS, VOTERS)  # the same vote sent again changes nothing
        assert (cast, changed) == (VOTERS, 0)
        assert get_poll(poll_id).is_open


FINAL_VOTERS = 12


def test_the_last_votes_sent_at_once_close_the_vote_exactly_once(app, world, make_user, add_member):
    """Votes run side by side (the poll locked shared) and the early close is checked after each
    commits: of the votes that settle the outcome together, one sees them all and closes the
    vote, once; a vote arriving after the close is refused, never recorded after it."""
    voters = [make_user(Role.COLLECTIVE_MEMBER, name=f"Finalist {n}") for n in range(FINAL_VOTERS - 1)]
    for voter in voters:
        add_member(voter, "barnsley", Constituency.CARER)
    voters.append(world.barnsley_member)
    with app.app_context():
        poll_id = _open_poll(world)
        for voter in voters:
            poll_voting.declare(actor=load(voter), poll_id=poll_id, interest=None, now=NOW)
        assert get_poll(poll_id).is_open
    barrier, errors, closed = threading.Barrier(FINAL_VOTERS), [], []

    def cast(user_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                cast = poll_voting.cast_vote(actor=db.session.get(type(world.coordinator), user_id),
                                             poll_id=poll_id, ballot=Ballot(Choice.SUPPORT),
                                             now=NOW + timedelta(minutes=1))
                closed.append(cast.closed)
            except BaseException as error:  # noqa: BLE001  (collected and asserted below)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cast, args=(voter.id,)) for voter in voters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert closed.count(True) == 1 and len(closed) + len(errors) == FINAL_VOTERS
    assert {str(error) for error in errors} <= {"This vote has closed, so nothing more can be recorded."}
    with app.app_context():
        assert not get_poll(poll_id).is_open
        counted = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id,
                                                                              Vote.is_current))
        closes = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "poll.closed", AuditEvent.object_id == poll_id))
        assert (counted, closes) == (len(closed), 1)


OPENINGS, AWARD, FUND = 16, 400_000, 5_000_000  # the world's Barnsley fund holds 12 awards of £4,000


def _post_at_once(app, cookie: str, token: str, paths: list[str]) -> list:
    """POST each path from its own thread and test client (the same signed-in coordinator),
    all released together; returns the responses' status codes and locations."""
    barrier, answers = threading.Barrier(len(paths)), []

    def post(path: str) -> None:
        client = app.test_client()
        client.set_cookie("brokerage_session", cookie)
        barrier.wait(timeout=30)
        try:
            response = client.post(path, data={"days": "3", "csrf_token": token}, csrf=False)
            answers.append((response.status_code, response.location or ""))
        except BaseException as error:  # noqa: BLE001  (collected and asserted below)
            answers.append((error, ""))

    threads = [threading.Thread(target=post, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.usefixtures("fixed_now")
def test_concurrent_vote_openings_earmark_no_more_than_the_fund_holds(app, client, auth, world, make_bid):
    bid_ids = [make_bid(status="ready_for_vote", title=f"Bid {n}") for n in range(OPENINGS)]
    auth.login(world.coordinator)
    token = client.csrf_token()
    answers = _post_at_once(app, client.get_cookie("brokerage_session").value, token,
                            [f"/bids/{bid_id}/vote/open" for bid_id in bid_ids])

    assert sorted(status for status, _ in answers) == [302] * OPENINGS
    assert sum("/polls/" in location for _, location in answers) == FUND // AWARD
    with app.app_context():
        fund = db.session.scalar(select(Fund))
        summary = ledger.summarise(fund.id)
        earmarks = db.session.scalar(select(func.count()).select_from(LedgerEntry)
                                     .where(LedgerEntry.kind == EntryKind.EARMARK))
        assert db.session.scalar(select(func.count()).select_from(Poll)) == earmarks == FUND // AWARD
        assert fund.available_pence == summary.available == FUND % AWARD
        assert summary.earmarked == funds.fund_summary(fund).earmarked == (FUND // AWARD) * AWARD
        waiting = db.session.scalar(select(func.count()).select_from(Bid)
                                    .where(Bid.status == BidStatus.AWAITING_FUNDS.value))
        assert waiting == OPENINGS - FUND // AWARD


SETTLERS = 8


def test_requests_settling_the_same_due_vote_at_once_decide_it_once(app, client, auth, world, fixed_now):
    """Pages never close votes; the step before them does (`settle_due_votes`). Eight requests
    read a due vote's page at once: each settles first, and the vote is decided exactly once
    (one close, one decision, one release of the earmark), with no errors."""
    with app.app_context():
        poll_id = _open_poll(world)
        bid_id = get_poll(poll_id).bid_id
    fixed_now(NOW + timedelta(days=3, minutes=1))  # the window has ended: the vote is due
    auth.login(world.coordinator)
    cookie = client.get_cookie("brokerage_session").value
    barrier, answers = threading.Barrier(SETTLERS), []

    def read() -> None:
        reader = app.test_client()
        reader.set_cookie("brokerage_session", cookie)
        barrier.wait(timeout=30)
        try:
            answers.append(reader.get(f"/polls/{poll_id}").status_code)
        except BaseException as error:  # noqa: BLE001  (collected and asserted below)
            answers.append(error)

    threads = [threading.Thread(target=read) for _ in range(SETTLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert answers == [200] * SETTLERS
    with app.app_context():
        events = dict(db.session.execute(
            select(AuditEvent.action, func.count()).where(AuditEvent.action.in_(["poll.closed", "bid.not_approved",
                                                                                  "bid.deferred", "bid.approved"]))
            .group_by(AuditEvent.action)).tuples().all())
        assert events.get("poll.closed") == 1 and sum(events.values()) == 2
        assert not get_poll(poll_id).is_open
        settled = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.kind.in_([EntryKind.RELEASE.value, EntryKind.COMMITMENT.value])))
        assert settled == 1
        assert db.session.get(Bid, bid_id).state is not BidStatus.OPEN_FOR_VOTE
