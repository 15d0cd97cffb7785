"""Factories for group tests: groups, members, roles and meetings made through the services."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.meetings import services as meetings
from brokerage.groups.meetings.services import MeetingRecord
from brokerage.groups.people import services as people

FOUNDED = date(2026, 6, 1)


@pytest.fixture
def now_fixed(fixed_now):
    """Today is 15 June 2026 (London)."""
    fixed_now(datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc))
    return fixed_now


class Builder:
    def __init__(self, make_user):
        self.make_user = make_user

    def user(self, *roles: Role, **kwargs) -> User:
        db.session.commit()  # make_user writes from its own session: end ours so SQLite's write lock is free
        return db.session.get(User, self.make_user(*roles, **kwargs).id)

    def group(self, actor: User | None = None, name: str = "Wakefield Walkers", private: bool = False):
        actor = actor or self.user(Role.CHAMPION)
        locality = db.session.scalar(select(Locality).where(Locality.slug == "wakefield"))
        details = services.GroupDetails(name=name, aims="Walking together for wellbeing.",
                                        activity="A weekly walk, then tea.", locality_id=locality.id,
                                        meeting_place="12 Acacia Avenue, Wakefield WF1 2AB",
                                        meeting_place_private=private)
        return services.create_group(actor=actor, details=details), actor

    def members(self, group, actor, count: int = 6, **kwargs):
        return [people.add_person(actor=actor, group=group, new=people.NewPerson(
            name=f"Member {chr(65 + i)}", contact=None, consent_given=True, consent_on=date(2026, 5, 1), **kwargs))
            for i in range(count)]

    def adopt(self, group, actor, members, held_on: date = FOUNDED):
        record = MeetingRecord(held_on=held_on, attendee_ids=tuple(p.id for p in members),
                               proposer_id=members[0].id, seconder_id=members[1].id,
                               votes_for=len(members), votes_against=0, votes_abstain=0)
        return meetings.record_founding_meeting(actor=actor, group=group, record=record)


@pytest.fixture
def build(app, make_user, now_fixed):
    with app.app_context():
        yield Builder(make_user)


@pytest.fixture
def forming_group(app, make_user, now_fixed):
    """A forming group with six founding members, started by a champion; returns (group id, champion, member ids)."""
    champion = make_user(Role.CHAMPION, name="Dee Champion")
    with app.app_context():
        builder = Builder(make_user)
        group, actor = builder.group(actor=db.session.get(User, champion.id))
        members = builder.members(group, actor)
        return group.id, champion, [member.id for member in members]


@pytest.fixture
def constituted_group(app, make_user, forming_group):
    """The same group after its founding meeting on 1 June 2026."""
    group_id, champion, member_ids = forming_group
    with app.app_context():
        from brokerage.groups.models import Group, GroupPerson
        group = db.session.get(Group, group_id)
        members = [db.session.get(GroupPerson, pid) for pid in member_ids]
        Builder(make_user).adopt(group, db.session.get(User, champion.id), members)
    return forming_group


class HostedGroup:
    """Ids of a constituted group hosted by a partner, and the people around it (detached users)."""

    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.fixture
def hosted_group(app, make_user, now_fixed):
    """A constituted group (adopted 1 June 2026) hosted by Reds in the Community from 1 June 2026 to
    31 May 2027 with no fee. Officers with accounts: chair Ann, secretary Bea and treasurer Cal (Bea and
    Cal are partners, so related), welfare lead Dev. Eve is a plain member with an account. The host's
    contact is Hal; Oli is the contact of another partner. The hosting is approved but holds nothing yet."""
    from brokerage.groups.hosting import services as hosting
    from brokerage.partners.people import services as contacts
    from brokerage.partners.organisations.services import PartnerDetails, create_partner
    users = {key: make_user(Role.COLLECTIVE_MEMBER, name=name, email=f"{key}@example.org")
             for key, name in (("ann", "Ann"), ("bea", "Bea"), ("cal", "Cal"), ("dev", "Dev"), ("eve", "Eve"))}
    users["hal"] = make_user(Role.PARTNER_CONTACT, name="Hal Host", email="hal@example.org")
    users["oli"] = make_user(Role.PARTNER_CONTACT, name="Oli Other", email="oli@example.org")
    champion = make_user(Role.CHAMPION, name="Dee Champion")
    coordinator = make_user(Role.COORDINATOR, name="Casey Coordinator")
    with app.app_context():
        builder = Builder(make_user)
        actor, boss = db.session.get(User, champion.id), db.session.get(User, coordinator.id)
        group, _ = builder.group(actor=actor, name="Wakefield Walkers")
        persons = {key: people.add_person(actor=boss, group=group, new=people.NewPerson(
            name=users[key].name, contact=None, consent_given=False, consent_on=None,
            account_email=users[key].email)) for key in ("ann", "bea", "cal", "dev", "eve")}
        persons["fay"] = builder.members(group, actor, 1)[0]
        builder.adopt(group, actor, list(persons.values()))
        people.declare_relationship(actor=actor, group=group, first_id=persons["bea"].id,
                                    second_id=persons["cal"].id, kind="partners")
        people.set_officers(actor=actor, group=group, holders={
            "chair": persons["ann"].id, "secretary": persons["bea"].id, "treasurer": persons["cal"].id,
            "welfare_lead": persons["dev"].id})
        partners = {}
        for key, name in (("hal", "Reds in the Community"), ("oli", "Other Partner")):
            partner = create_partner(actor=boss, details=PartnerDetails(
                name=name, type="informal_group", locality_ids=[group.locality_id]))
            contacts.link_account(actor=boss, partner=partner, user=db.session.get(User, users[key].id))
            partners[key] = partner.id
        held = hosting.apply_for_hosting(actor=actor, group=group, partner_id=partners["hal"], request="Hold our money")
        hosting.approve_hosting(actor=db.session.get(User, users["hal"].id), hosting=held, terms=hosting.Terms(
            starts_on=date(2026, 6, 1), expires_on=date(2027, 5, 31), fee_percent=None))
        return HostedGroup(group_id=group.id, hosting_id=held.id, partner_id=partners["hal"],
                           other_partner_id=partners["oli"], users=users, champion=champion,
                           coordinator=coordinator, person_ids={key: p.id for key, p in persons.items()})
