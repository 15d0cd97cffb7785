"""The messages of a decision (to the electors and the partner's people), a deferral (the
members' questions, with the link for the partner to answer them), a bid returned for changes
and a bid withdrawn (to the people affected), and who never receives them."""
from datetime import timedelta

from brokerage.collectives.bids import moves
from brokerage.collectives.voting import closing
from brokerage.partners.organisations import services as partner_services
from brokerage.partners.people import services as contacts

from ..bids.helpers import NOW, get_bid, load
from ..voting.helpers import CLOSES, get_poll, vote
from .helpers import choose, link_paths, names, outbox
from .test_votes import ELECTORATE

AFTER = CLOSES + timedelta(minutes=1)
PARTNER_PEOPLE = ["Lee Reds", "Sam Secretary"]


def _named_contact(world, name="Sam Secretary", email="sam@reds.example.org"):
    contacts.add_contact(actor=load(world.coordinator), partner=partner_services.get_partner(world.reds),
                         details=contacts.ContactDetails(name=name, email=email))


def _approve(poll_id, electorate):
    for name in ("Pat Barnsley", "Ash Carer", "Di Community"):
        vote(poll_id, electorate[name], "support")
    vote(poll_id, electorate["Ed Community"], "oppose", comment="Is the venue accessible?")
    closing.close_if_due(poll=get_poll(poll_id), now=AFTER)


def test_an_approval_is_sent_to_the_electors_and_the_partners_people(poll_id, world, electorate, ctx):
    _named_contact(world)
    _named_contact(world, name="Lee at home", email="LEE@example.org")  # the account's address: reached once
    _approve(poll_id, electorate)
    assert names("decision") == sorted(ELECTORATE + PARTNER_PEOPLE)
    to_partner = next(m for m in outbox("decision") if m.recipient_name == "Lee Reds")
    assert to_partner.subject == "Decision on Memory group at the stadium"
    assert "Decision: Approved" in to_partner.text_body and "Award: £4,000." in to_partner.text_body
    assert "grant agreement" in to_partner.text_body
    assert "You are a contact for Reds in the Community, which made this bid." in to_partner.text_body
    assert link_paths(to_partner) == [f"/bids/{get_poll(poll_id).bid_id}"]
    to_member = next(m for m in outbox("decision") if m.recipient_name == "Ash Carer")
    assert link_paths(to_member) == [f"/polls/{poll_id}"]
    assert outbox("deferral") == []


def test_no_subject_carries_a_tally_while_the_body_gives_the_reasons(poll_id, world, electorate, ctx):
    _approve(poll_id, electorate)
    for message in outbox("decision"):
        assert not any(character.isdigit() for character in message.subject)
        assert "support" not in message.subject.lower()
        assert "3 in support, 1 against, 0 abstaining." in message.text_body


def test_a_person_who_chose_never_gets_no_decision(poll_id, world, electorate, ctx):
    choose(electorate["Ash Carer"], "decision", "never")
    choose(world.reds_contact, "decision", "never")
    _approve(poll_id, electorate)
    assert not {"Ash Carer", "Lee Reds"} & set(names("decision"))


def test_a_deferral_sends_the_members_questions_and_the_partners_link_to_answer(poll_id, world, electorate, ctx):
    vote(poll_id, electorate["Pat Barnsley"], "support", comment="Who runs the sessions?")
    vote(poll_id, electorate["Ash Carer"], "oppose", comment="Is the venue accessible?")
    closing.close_if_due(poll=get_poll(poll_id), now=AFTER)
    assert outbox("decision") == []
    assert names("deferral") == sorted(ELECTORATE + ["Lee Reds"])
    message = next(m for m in outbox("deferral") if m.recipient_name == "Lee Reds")
    assert message.subject == "Questions about your bid: Memory group at the stadium"
    assert "- Who runs the sessions?" in message.text_body and "- Is the venue accessible?" in message.text_body
    assert link_paths(message) == [f"/bids/{get_poll(poll_id).bid_id}"]


def test_the_partners_link_opens_the_bid_with_the_questions(poll_id, world, electorate, auth, app):
    with app.app_context():
        vote(poll_id, electorate["Pat Barnsley"], "support", comment="Who runs the sessions?")
        closing.close_if_due(poll=get_poll(poll_id), now=AFTER)
        [path] = link_paths(next(m for m in outbox("deferral") if m.recipient_name == "Lee Reds"))
    auth.login(world.reds_contact)
    response = auth.client.get(path)
    assert response.status_code == 200 and "Who runs the sessions?" in response.get_data(as_text=True)


def test_a_bid_returned_for_changes_tells_the_partners_people_only(world, electorate, make_bid, ctx):
    _named_contact(world)
    make_bid(status="returned")
    assert names("bid_returned") == PARTNER_PEOPLE
    message = outbox("bid_returned")[0]
    assert message.subject == "Your bid was returned for changes: Memory group at the stadium"
    assert "Please confirm the venue." in message.text_body
    assert "The Barnsley collective" in message.text_body


def test_a_bid_withdrawn_before_its_vote_tells_the_partners_people(world, electorate, make_bid, ctx):
    make_bid(status="withdrawn")
    assert names("bid_withdrawn") == ["Lee Reds"]
    assert "vote" not in outbox("bid_withdrawn")[0].text_body.split("Hello")[1].split("See the bid")[0]


def test_a_bid_withdrawn_during_its_vote_tells_the_electors_and_the_partner(poll_id, world, electorate, ctx):
    bid = get_bid(get_poll(poll_id).bid_id)
    closing.withdraw_during_vote(actor=load(world.reds_contact), bid=bid, reason="New dates",
                                now=NOW + timedelta(hours=1))
    assert names("bid_withdrawn") == sorted(ELECTORATE + ["Lee Reds"])
    message = next(m for m in outbox("bid_withdrawn") if m.recipient_name == "Ash Carer")
    assert "Lee Reds withdrew" in message.text_body and "the votes cast do not count" in message.text_body
    assert message.subject == "Bid withdrawn: Memory group at the stadium"


def test_a_second_close_sends_nothing_new(poll_id, world, electorate, ctx):
    _approve(poll_id, electorate)
    count = len(outbox("decision"))
    assert closing.close_if_due(poll=get_poll(poll_id), now=AFTER) is False
    assert len(outbox("decision")) == count
