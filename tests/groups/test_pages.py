"""The governance calendar on the group page and the coordinators' list of groups needing attention."""
from datetime import date, datetime, timezone

from brokerage.accounts.models import User
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.models import Group, Hosting
from brokerage.groups.pages import calendar_for, groups_needing_attention


def test_calendar_shows_agm_within_15_months_notice_deadlines_terms_and_hosting_expiry_soonest_first(app, hosted_group):
    with app.app_context():
        group = db.session.get(Group, hosted_group.group_id)
        calendar = calendar_for(group=group, hosting=db.session.get(Hosting, hosted_group.hosting_id),
                                today=date(2026, 6, 15))
        assert [(d.title, d.due_on) for d in calendar] == [
            ("Hosting agreement expires", date(2027, 5, 31)),
            ("Officers' terms end", date(2027, 6, 1)),
            ("Give notice of any changes to the constitution", date(2027, 8, 11)),
            ("Give members notice of the AGM", date(2027, 8, 18)),
            ("Annual general meeting due", date(2027, 9, 1)),
        ]


def test_calendar_includes_the_safeguarding_policy_review_a_year_on(app, hosted_group):
    with app.app_context():
        group = db.session.get(Group, hosted_group.group_id)
        services.record_safeguarding_policy(actor=db.session.get(User, hosted_group.champion.id), group=group,
                                              adopted_on=date(2026, 6, 10))
        calendar = calendar_for(group=group, hosting=None, today=date(2026, 6, 15))
        assert ("Review the safeguarding policy", date(2027, 6, 10)) in [(d.title, d.due_on) for d in calendar]


def test_forming_group_has_no_calendar_yet(build):
    group, _ = build.group()
    assert calendar_for(group=group, hosting=None, today=date(2026, 6, 15)) == []


def test_groups_needing_attention_lists_overdue_agm_and_expiring_hosting_soonest_first(app, hosted_group, now_fixed,
                                                                                       build):
    now_fixed(datetime(2027, 4, 20, 12, 0, tzinfo=timezone.utc))
    with app.app_context():
        forming, _ = build.group(name="Aardvark Artists")
        old, actor = build.group(name="Old Timers")
        build.adopt(old, actor, build.members(old, actor), held_on=date(2026, 1, 5))  # AGM due 5 April 2027
        closed, _ = build.group(name="Closed Club")
        services.close_group(actor=db.session.get(User, hosted_group.coordinator.id), group=closed, reason="Ended")
        rows = groups_needing_attention(today=date(2027, 4, 20))
        assert [row.group.name for row in rows] == ["Old Timers", "Wakefield Walkers", "Aardvark Artists"]
        assert [(r.title, r.due_on) for r in rows[0].reasons] == [("AGM due", date(2027, 4, 5))]
        assert [(r.title, r.due_on) for r in rows[1].reasons] == [
            ("Hosting by Reds in the Community expires", date(2027, 5, 31))]
        assert rows[2].reasons == [] and rows[2].incomplete > 0
