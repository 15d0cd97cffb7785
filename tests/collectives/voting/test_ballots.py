"""Declarations of interest and votes: who may vote, changes with history, meeting mode,
assisted votes, and the audit trail."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.collectives.voting import ballots as poll_voting, access as polls
from brokerage.collectives.voting.rules import Choice
from brokerage.collectives.models import Constituency
from brokerage.collectives.voting.models import Vote, VoteMethod
from brokerage.collectives.voting.ballots import Ballot
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db

from ..bids.helpers import NOW, load
from .helpers import CLOSES, get_poll, vote

SUPPORT = Ballot(Choice.SUPPORT)


def chair_answers(poll_id: int, electorate, interest: str | None = None):
    """The chair answers the connection question for themself, as they must before recording for others."""
    chair = load(electorate.chair)
    poll_voting.declare(actor=chair, poll_id=poll_id, interest=interest, now=NOW)
    return load(electorate.chair)


def votes_of(poll_id: int, user) -> list[Vote]:
    return list(db.session.scalars(select(Vote).where(Vote.poll_id == poll_id, Vote.user_id == user.id)
                                   .order_by(Vote.id)))


def test_the_ballot_stays_locked_until_the_interests_question_is_answered(poll_id, electorate, ctx):
    with pytest.raises(RuleViolation, match="interests"):
        poll_voting.cast_vote(actor=load(electorate["Ash Carer"]), poll_id=poll_id, ballot=SUPPORT, now=NOW)


def test_member_declaring_no_interest_can_vote(poll_id, electorate, ctx):
    vote(poll_id, electorate["Ash Carer"], "support", comment="Good value")
    [cast] = votes_of(poll_id, electorate["Ash Carer"])
    assert (cast.choice, cast.comment, cast.is_current, cast.method) == ("support", "Good value", True, "online")


def test_recused_member_cannot_vote(poll_id, electorate, ctx):
    member = load(electorate["Di Community"])
    poll_voting.declare(actor=member, poll_id=poll_id, interest="I volunteer with them", now=NOW)
    with pytest.raises(PermissionDenied):
        poll_voting.cast_vote(actor=member, poll_id=poll_id, ballot=SUPPORT, now=NOW)


def test_declaring_an_interest_after_voting_withdraws_the_vote(poll_id, electorate, ctx):
    vote(poll_id, electorate["Di Community"], "support")
    poll_voting.declare(actor=load(electorate["Di Community"]), poll_id=poll_id, interest="My sister runs it",
                        now=NOW)
    assert [v.is_current for v in votes_of(poll_id, electorate["Di Community"])] == [False]


def test_an_interest_needs_a_description(poll_id, electorate, ctx):
    with pytest.raises(RuleViolation) as error:
        poll_voting.declare(actor=load(electorate["Di Community"]), poll_id=poll_id, interest="  ", now=NOW)
    assert error.value.field == "interest"


def test_non_member_cannot_vote_or_declare(poll_id, make_user, ctx):
    outsider = make_user(Role.COLLECTIVE_MEMBER, name="Out Sider")
    with pytest.raises(PermissionDenied):
        poll_voting.declare(actor=load(outsider), poll_id=poll_id, interest=None, now=NOW)
    with pytest.raises(PermissionDenied):
        poll_voting.cast_vote(actor=load(outsider), poll_id=poll_id, ballot=SUPPORT, now=NOW)


def test_member_of_another_locality_cannot_vote(poll_id, world, ctx):
    with pytest.raises(PermissionDenied):
        vote(poll_id, world.calderdale_member, "support")


def test_partners_own_people_cannot_vote_even_as_members(app, world, open_poll, add_member):
    add_member(world.reds_contact, "barnsley", Constituency.COMMUNITY)
    poll_id = open_poll()
    with app.app_context(), pytest.raises(PermissionDenied):
        vote(poll_id, world.reds_contact, "support")


def test_coordinator_who_is_not_a_member_cannot_vote(poll_id, world, ctx):
    with pytest.raises(PermissionDenied):
        vote(poll_id, world.coordinator, "support")


def test_vote_after_close_is_refused(poll_id, electorate, ctx):
    with pytest.raises(RuleViolation, match="closed"):
        vote(poll_id, electorate["Ash Carer"], "support", now=CLOSES + timedelta(minutes=1))


def test_changing_a_vote_keeps_history_and_one_current_vote(poll_id, electorate, ctx):
    vote(poll_id, electorate["Ash Carer"], "support")
    vote(poll_id, electorate["Ash Carer"], "oppose", now=NOW + timedelta(hours=1))
    history = votes_of(poll_id, electorate["Ash Carer"])
    assert [(v.choice, v.is_current) for v in history] == [("support", False), ("oppose", True)]
    assert history[0].replaced_at == NOW + timedelta(hours=1)


def test_sending_the_same_vote_again_changes_nothing(poll_id, electorate, ctx):
    first = vote(poll_id, electorate["Ash Carer"], "support")
    again = poll_voting.cast_vote(actor=load(electorate["Ash Carer"]), poll_id=poll_id, ballot=SUPPORT,
                                  now=NOW + timedelta(minutes=5))
    assert (again.changed, again.vote_id) == (False, first.vote_id)
    assert [(v.choice, v.is_current) for v in votes_of(poll_id, electorate["Ash Carer"])] == [("support", True)]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.in_(["poll.vote_cast", "poll.vote_changed"]))) == 1


def test_the_same_vote_again_is_answered_from_one_read_without_locking(poll_id, electorate, ctx, count_queries):
    first = vote(poll_id, electorate["Ash Carer"], "support")
    member = load(electorate["Ash Carer"])
    with count_queries() as counter:
        again = poll_voting.cast_vote(actor=member, poll_id=poll_id, ballot=SUPPORT, now=NOW + timedelta(minutes=5))
    reads = [statement for statement in counter.statements if statement.lstrip().upper().startswith("SELECT")]
    assert (again.changed, again.vote_id) == (False, first.vote_id)
    assert len(reads) == 1 and "FOR " not in reads[0].upper()  # the locked path reads the poll, the elector, the vote


def test_the_same_vote_again_after_the_closing_time_is_refused(poll_id, electorate, ctx):
    vote(poll_id, electorate["Ash Carer"], "support")
    with pytest.raises(RuleViolation, match="closed"):
        vote(poll_id, electorate["Ash Carer"], "support", now=CLOSES)


def test_a_new_comment_or_confirming_an_assisted_vote_is_a_change(poll_id, electorate, world, ctx):
    member = electorate["Ash Carer"]
    poll_voting.declare(actor=load(member), poll_id=poll_id, interest=None, now=NOW)
    poll_voting.cast_assisted_vote(actor=load(world.coordinator), poll=get_poll(poll_id), user_id=member.id,
                                   ballot=SUPPORT, reason="By phone", now=NOW)
    mine = poll_voting.cast_vote(actor=load(member), poll_id=poll_id, ballot=SUPPORT, now=NOW)
    commented = poll_voting.cast_vote(actor=load(member), poll_id=poll_id,
                                      ballot=Ballot(Choice.SUPPORT, "Good value"), now=NOW)
    assert mine.changed and commented.changed
    assert [(v.method, v.comment, v.is_current) for v in votes_of(poll_id, member)] == [
        (VoteMethod.ASSISTED, "", False), (VoteMethod.ONLINE, "", False), (VoteMethod.ONLINE, "Good value", True)]


def test_the_database_refuses_a_second_current_vote(poll_id, electorate, ctx):
    vote(poll_id, electorate["Ash Carer"], "support")
    db.session.add(Vote(poll_id=poll_id, user_id=electorate["Ash Carer"].id, choice="oppose", cast_at=NOW))
    with pytest.raises(Exception):
        db.session.flush()
    db.session.rollback()


def test_assisted_vote_is_recorded_on_behalf_with_a_reason(poll_id, electorate, world, ctx):
    member = electorate["Ash Carer"]
    poll_voting.declare(actor=load(member), poll_id=poll_id, interest=None, now=NOW)
    poll_voting.cast_assisted_vote(actor=load(world.coordinator), poll=get_poll(poll_id), user_id=member.id,
                                   ballot=SUPPORT, reason="Asked by phone; cannot use a computer", now=NOW)
    [cast] = votes_of(poll_id, member)
    assert (cast.method, cast.recorded_by_id) == (VoteMethod.ASSISTED, world.coordinator.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "poll.vote_cast"))
    assert event.after["on_behalf_of"] == member.id


def test_member_can_change_an_assisted_vote_before_close(poll_id, electorate, world, ctx):
    member = electorate["Ash Carer"]
    poll_voting.declare(actor=load(member), poll_id=poll_id, interest=None, now=NOW)
    poll_voting.cast_assisted_vote(actor=load(world.coordinator), poll=get_poll(poll_id), user_id=member.id,
                                   ballot=SUPPORT, reason="By phone", now=NOW)
    vote(poll_id, member, "oppose")
    assert [(v.choice, v.is_current) for v in votes_of(poll_id, member)] == [("support", False), ("oppose", True)]


def test_assisted_vote_needs_a_reason_and_a_chair_or_coordinator(poll_id, electorate, ctx):
    member = electorate["Ash Carer"]
    poll_voting.declare(actor=load(member), poll_id=poll_id, interest=None, now=NOW)
    chair_answers(poll_id, electorate)
    with pytest.raises(RuleViolation):
        poll_voting.cast_assisted_vote(actor=load(electorate.chair), poll=get_poll(poll_id), user_id=member.id,
                                       ballot=SUPPORT, reason=" ", now=NOW)
    with pytest.raises(PermissionDenied):
        poll_voting.cast_assisted_vote(actor=load(electorate["Bo Staff"]), poll=get_poll(poll_id),
                                       user_id=member.id, ballot=SUPPORT, reason="Helping", now=NOW)


def test_meeting_mode_records_votes_of_members_present_only(poll_id, electorate, ctx):
    chair, ash, bo = chair_answers(poll_id, electorate), electorate["Ash Carer"], electorate["Bo Staff"]
    assert poll_voting.record_attendance(actor=chair, poll=get_poll(poll_id), user_ids=[ash.id], now=NOW) == 1
    poll_voting.record_meeting_vote(actor=chair, poll=get_poll(poll_id), user_id=ash.id, interest=None,
                                    ballot=SUPPORT, now=NOW)
    [cast] = votes_of(poll_id, ash)
    assert (cast.method, cast.recorded_by_id) == (VoteMethod.MEETING, chair.id)
    with pytest.raises(RuleViolation, match="present"):
        poll_voting.record_meeting_vote(actor=chair, poll=get_poll(poll_id), user_id=bo.id, interest=None,
                                        ballot=SUPPORT, now=NOW)


def test_meeting_mode_recuses_a_member_declaring_an_interest(poll_id, electorate, ctx):
    chair, ash = chair_answers(poll_id, electorate), electorate["Ash Carer"]
    poll_voting.record_attendance(actor=chair, poll=get_poll(poll_id), user_ids=[ash.id], now=NOW)
    poll_voting.record_meeting_vote(actor=chair, poll=get_poll(poll_id), user_id=ash.id, interest="Trustee there",
                                    ballot=SUPPORT, now=NOW)
    assert votes_of(poll_id, ash) == []
    assert polls.elector_of(get_poll(poll_id), load(ash)).recused


def test_only_a_chair_or_coordinator_runs_meeting_mode(poll_id, electorate, ctx):
    with pytest.raises(PermissionDenied):
        poll_voting.record_attendance(actor=load(electorate["Bo Staff"]), poll=get_poll(poll_id),
                                      user_ids=[electorate["Ash Carer"].id], now=NOW)


def test_every_vote_and_declaration_is_audited(poll_id, electorate, ctx):
    vote(poll_id, electorate["Ash Carer"], "support")
    vote(poll_id, electorate["Ash Carer"], "abstain")
    poll_voting.declare(actor=load(electorate["Di Community"]), poll_id=poll_id, interest="Volunteer", now=NOW)
    counts = dict(db.session.execute(select(AuditEvent.action, func.count()).where(AuditEvent.object_type == "poll")
                                     .group_by(AuditEvent.action)).tuples().all())
    assert counts["poll.vote_cast"] == 1 and counts["poll.vote_changed"] == 1
    assert counts["poll.declared_no_interest"] == 1 and counts["poll.declared_interest"] == 1


def test_no_vote_is_recorded_on_behalf_of_a_member_who_declared_a_connection(poll_id, electorate, ctx):
    member = electorate["Di Community"]
    poll_voting.declare(actor=load(member), poll_id=poll_id, interest="I volunteer there", now=NOW)
    chair = chair_answers(poll_id, electorate)
    with pytest.raises(RuleViolation, match="declared a connection"):
        poll_voting.cast_assisted_vote(actor=chair, poll=get_poll(poll_id), user_id=member.id, ballot=SUPPORT,
                                       reason="By telephone", now=NOW)
    assert votes_of(poll_id, member) == []
