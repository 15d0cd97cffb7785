"""Group money and constitutions under simultaneous requests, served by gunicorn with 4 worker processes
on the test's database (tests/gunicorn_server.py): two related officers approving at the same moment
never make two approvals, and a double-submitted payment or founding meeting gets the ordinary
"already done" message, never a server error. The server's clock is real, so dates here are too."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from brokerage.accounts.models import User
from brokerage.core.values.roles import Role
from brokerage.core.values.timeutils import london_today
from brokerage.extensions import db
from brokerage.groups.hosting import expenses
from brokerage.groups.hosting import services as hosting
from brokerage.groups.hosting.models import Expense, ExpenseApproval, HostedEntry
from brokerage.groups.models import ConstitutionVersion, Hosting
from brokerage.groups.people import services as people
from brokerage.partners.people import services as contacts
from brokerage.partners.organisations.services import PartnerDetails, create_partner
from tests.conftest import PASSWORD
from tests.gunicorn_server import Browser, at_once
from tests.groups.conftest import Builder

ROUNDS = 6
AT_ONCE = 4


class World:
    """Ids of a hosted group and the emails of the people around it."""

    def __init__(self, **values):
        self.__dict__.update(values)


@pytest.fixture
def world(app, make_user):
    """A constituted group hosted by a partner from 30 days ago for a year, holding £500. Officers with
    accounts: Ann (chair), Bea and Cal (partners, so related) and Dev; Eve claims expenses; Hal acts for
    the host."""
    users = {key: make_user(Role.COLLECTIVE_MEMBER, name=key.title(), email=f"{key}@example.org")
             for key in ("ann", "bea", "cal", "dev", "eve")}
    users["hal"] = make_user(Role.PARTNER_CONTACT, name="Hal", email="hal@example.org")
    champion = make_user(Role.CHAMPION, name="Dee Champion")
    boss = make_user(Role.COORDINATOR, name="Casey Coordinator")
    today = london_today()
    with app.app_context():
        def user(key):
            return db.session.get(User, users[key].id)
        builder, actor = Builder(make_user), db.session.get(User, champion.id)
        coordinator = db.session.get(User, boss.id)
        group, _ = builder.group(actor=actor)
        persons = {key: people.add_person(actor=coordinator, group=group, new=people.NewPerson(
            name=users[key].name, contact=None, consent_given=False, consent_on=None, account_email=users[key].email))
            for key in ("ann", "bea", "cal", "dev", "eve")}
        builder.adopt(group, actor, [*persons.values(), *builder.members(group, actor, 1)],
                      held_on=today - timedelta(60))
        people.declare_relationship(actor=actor, group=group, first_id=persons["bea"].id,
                                    second_id=persons["cal"].id, kind="partners")
        people.set_officers(actor=actor, group=group, holders={
            "chair": persons["ann"].id, "secretary": persons["bea"].id, "treasurer": persons["cal"].id,
            "welfare_lead": persons["dev"].id})
        partner = create_partner(actor=coordinator, details=PartnerDetails(
            name="Reds in the Community", type="informal_group", locality_ids=[group.locality_id]))
        contacts.link_account(actor=coordinator, partner=partner, user=user("hal"))
        held = hosting.apply_for_hosting(actor=actor, group=group, partner_id=partner.id, request="Hold our money")
        hosting.approve_hosting(actor=user("hal"), hosting=held, terms=hosting.Terms(
            starts_on=today - timedelta(30), expires_on=today + timedelta(365), fee_percent=None))
        hosting.record_money_received(actor=user("hal"), hosting=held, amount_pence=50_000, received_on=today,
                                      note="Grant")
        made = World(app=app, hosting_id=held.id, group_id=group.id, user_ids={k: u.id for k, u in users.items()},
                     person_ids={key: person.id for key, person in persons.items()},
                     champion_email=champion.email)
        db.engine.dispose()
    return made


def _new_expense(world: World, approved_by: tuple[str, ...] = ()) -> int:
    with world.app.app_context():
        def user(key):
            return db.session.get(User, world.user_ids[key])
        expense = expenses.submit_expense(
            actor=user("eve"), hosting=db.session.get(Hosting, world.hosting_id),
            new=expenses.NewExpense(description="Room hire", amount_pence=2_000, claimant_id=world.person_ids["eve"]))
        for key in approved_by:
            expenses.approve_expense(actor=user(key), expense=db.session.get(Expense, expense.id))
        db.engine.dispose()
        return expense.id


def _no_server_errors(answers, server) -> None:
    statuses = [getattr(answer, "status", answer) for answer in answers]
    assert all(isinstance(status, int) and status < 500 for status in statuses), (statuses, server.errors)


def test_two_related_officers_approving_at_the_same_moment_make_one_approval(world, live_gunicorn):
    bea, cal = (Browser(live_gunicorn).login(f"{key}@example.org", PASSWORD) for key in ("bea", "cal"))
    for _ in range(ROUNDS):
        expense_id = _new_expense(world)
        path = f"/groups/expenses/{expense_id}/approve"
        answers = at_once(lambda: bea.tab().post(path), lambda: cal.tab().post(path))
        _no_server_errors(answers, live_gunicorn)
        with world.app.app_context():
            approvals = db.session.scalar(select(func.count()).select_from(ExpenseApproval)
                                          .where(ExpenseApproval.expense_id == expense_id))
            assert (approvals, db.session.get(Expense, expense_id).status) == (1, "submitted")


def _flash_after(tab: Browser, answer) -> str:
    return tab.get(answer.path).body if answer.status == 302 else answer.body


def test_an_expense_paid_twice_at_the_same_moment_is_paid_once_and_the_rest_are_told(world, live_gunicorn):
    hal = Browser(live_gunicorn).login("hal@example.org", PASSWORD)
    for _ in range(3):
        expense_id = _new_expense(world, approved_by=("ann", "bea"))
        tabs = [hal.tab() for _ in range(AT_ONCE)]
        answers = at_once(*(lambda t=tab: t.post(f"/groups/expenses/{expense_id}/pay") for tab in tabs))
        _no_server_errors(answers, live_gunicorn)
        pages = [_flash_after(tab, answer) for tab, answer in zip(tabs, answers)]
        assert sum("The expense is recorded as paid." in page for page in pages) == 1
        assert sum("This expense has already been paid." in page for page in pages) == AT_ONCE - 1
        with world.app.app_context():
            assert db.session.scalar(select(func.count()).select_from(HostedEntry)
                                     .where(HostedEntry.expense_id == expense_id)) == 1
    with world.app.app_context():
        assert db.session.get(Hosting, world.hosting_id).balance_pence == 50_000 - 3 * 2_000


def _forming_group(app, make_user, champion_id: int) -> tuple[int, list[int]]:
    with app.app_context():
        builder = Builder(make_user)
        actor = db.session.get(User, champion_id)
        group, _ = builder.group(actor=actor, name="Calder Climbers")
        member_ids = [member.id for member in builder.members(group, actor)]
        db.engine.dispose()
        return group.id, member_ids


def test_a_founding_meeting_submitted_twice_at_the_same_moment_adopts_one_constitution(app, make_user,
                                                                                       live_gunicorn):
    champion = make_user(Role.CHAMPION, name="Dee Champion")
    browser = Browser(live_gunicorn).login(champion.email, PASSWORD)
    held_on = (london_today() - timedelta(1)).isoformat()
    for _ in range(3):
        group_id, member_ids = _forming_group(app, make_user, champion.id)
        form = {"held_on": held_on, "attendee_ids": [str(i) for i in member_ids], "proposer_id": str(member_ids[0]),
                "seconder_id": str(member_ids[1]), "votes_for": "6", "votes_against": "0", "votes_abstain": "0"}
        path = f"/groups/{group_id}/meetings/founding"
        answers = at_once(*(lambda t=browser.tab(): t.post(path, form) for _ in range(AT_ONCE)))
        _no_server_errors(answers, live_gunicorn)
        assert sum(answer.status == 302 for answer in answers) == 1
        assert all("The constitution is already adopted" in answer.body for answer in answers if answer.status != 302)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(ConstitutionVersion)
                                     .where(ConstitutionVersion.group_id == group_id)) == 1
