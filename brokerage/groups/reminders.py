"""Who hears about a group (its officers who have accounts, its supporting champions), the sweep
that reminds the officers of the AGM and its notice deadlines (each deadline once, four weeks ahead,
or as soon as it is found if it is nearer or already past), and the sweep that expires hosting
applications left undecided for 60 days, telling the group."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.data.unit_of_work import unit_of_work
from ..core.values.timeutils import london_today
from ..core.web.links import absolute_url
from ..extensions import db
from ..notifications.services import Recipient, notify
from ..notifications.sweeps import register_sweep
from .hosting.services import PENDING_DAYS, expire_application, stale_applications
from .lifecycle import facts_for_many
from .models import Group, GroupChampion, GroupOfficer, GroupPerson
from .pages import Deadline, meeting_deadlines

REMIND_AHEAD = timedelta(days=28)


def _people(query) -> list[Recipient]:
    users = db.session.scalars(query.where(User.active.is_(True)).order_by(func.lower(User.name), User.id))
    return list({user.id: Recipient(user.name, user.email, user.id) for user in users}.values())


def officers(group: Group) -> list[Recipient]:
    """The group's officers (any office) who have an active account."""
    return _people(
        select(User)
        .join(GroupPerson, GroupPerson.user_id == User.id)
        .join(GroupOfficer, GroupOfficer.person_id == GroupPerson.id)
        .where(GroupOfficer.group_id == group.id)
    )


def supporting_champions(group: Group) -> list[Recipient]:
    """The champions assigned to the group, and the champion who started it."""
    assigned = select(GroupChampion.user_id).where(GroupChampion.group_id == group.id)
    return _people(select(User).where((User.id.in_(assigned)) | (User.id == group.created_by_id)))


def _slug(deadline: Deadline) -> str:
    return deadline.title.lower().replace(" ", "-")[:40]


def _remind(group: Group, deadline: Deadline, today: date, now: datetime) -> int:
    context = {
        "group": group.name,
        "deadline": deadline,
        "overdue": deadline.overdue(today),
        "link": absolute_url("groups.group_page", group_id=group.id),
    }
    return sum(
        notify(
            kind="agm_deadline",
            occasion=f"group:{group.id}:{_slug(deadline)}:{deadline.due_on}",
            recipient=person,
            subject=f"{group.name}: {deadline.title.lower()} by {deadline.due_on:%-d %B %Y}",
            why=f"You are an officer of {group.name}.",
            context=context,
            now=now,
        )
        for person in officers(group)
    )


def send_agm_reminders(now: datetime) -> int:
    """Write a reminder to each open group's officers for every AGM or notice deadline within four
    weeks (or past) that has not had one; answers how many were written."""
    today = london_today(now)
    written = 0
    with unit_of_work():
        groups = list(db.session.scalars(select(Group).where(Group.closed_on.is_(None)).order_by(Group.id)))
        for group_id, facts in facts_for_many(groups).items():
            group = db.session.get_one(Group, group_id)
            for deadline in meeting_deadlines(facts):
                if deadline.due_on <= today + REMIND_AHEAD:
                    written += _remind(group, deadline, today, now)
    return written


register_sweep("groups.agm_deadlines", send_agm_reminders)


def _tell_group_application_expired(hosting, now: datetime) -> int:
    group = hosting.group
    recipients = {person.user_id: person for person in officers(group) + supporting_champions(group)}
    context = {
        "group": group.name,
        "partner": hosting.partner.name,
        "days": PENDING_DAYS,
        "applied_on": f"{hosting.applied_at:%-d %B %Y}",
        "link": absolute_url("groups.group_page", group_id=group.id),
    }
    return sum(
        notify(
            kind="hosting_application_expired",
            occasion=f"hosting:{hosting.id}:expired",
            recipient=person,
            subject=f"{group.name}: the hosting application to {hosting.partner.name} has expired",
            why=f"You are an officer or supporting champion of {group.name}.",
            context=context,
            now=now,
        )
        for person in recipients.values()
    )


def expire_hosting_applications(now: datetime) -> int:
    """Expire every application left undecided for 60 days and tell each group (its officers and
    champions), so it can ask another partner; answers how many messages were written."""
    written = 0
    with unit_of_work():
        for hosting in stale_applications(now):
            expire_application(hosting, now)
            written += _tell_group_application_expired(hosting, now)
    return written


register_sweep("groups.hosting_applications", expire_hosting_applications)
