"""Listing activities: who may list and edit, the rules on what is saved, sessions and audit."""
from datetime import date, datetime, time, timezone

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.core.data.models import Locality
from brokerage.directory.listings import services
from brokerage.directory.listings.models import ActivityOccurrence, ActivitySearchTerm, Location
from brokerage.directory.listings.occurrences import refresh_all_occurrences
from brokerage.directory.listings.schedules import Schedule
from brokerage.directory.listings.services import Venue
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups import services as groups

from ..conftest import NOW, weekly


def _actions(activity_id):
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "activity", AuditEvent.object_id == activity_id).order_by(AuditEvent.id)))


def test_listing_an_activity_locates_it_and_records_its_sessions(directory):
    activity = directory.activity()
    assert activity.location.postal_code == "S71 1ET"
    assert activity.latitude == pytest.approx(53.56, abs=0.05)
    assert activity.locality.slug == "barnsley"
    assert activity.last_checked_on == date(2026, 6, 15)
    sessions = activity.occurrences
    assert len(sessions) == 12
    assert sessions[0].starts_at == datetime(2026, 6, 17, 17, 0, tzinfo=timezone.utc)  # 6pm BST
    assert (sessions[0].weekday, sessions[0].part_of_day) == (2, "evening")
    assert activity.next_occurrence_at == sessions[0].starts_at
    assert _actions(activity.id) == ["activity.created"]


def test_search_terms_hold_stems_of_title_categories_parents_and_provider(directory):
    activity = directory.activity(title="Walking football", categories=("walking-football",))
    terms = set(db.session.scalars(select(ActivitySearchTerm.term).where(ActivitySearchTerm.activity_id == activity.id)))
    assert {"walk", "football", "sport", "red"} <= terms


def test_partner_contact_lists_for_own_partner(directory):
    partner = directory.partner()
    contact = directory.contact_for(partner)
    activity = services.create_activity(actor=contact, provider_key=f"partner-{partner.id}",
                                        details=directory.details(), now=NOW)
    assert activity.partner_id == partner.id


def test_partner_contact_cannot_list_for_another_partner(directory):
    own, other = directory.partner(), directory.partner("Halifax Arts Café", "calderdale")
    contact = directory.contact_for(own)
    with pytest.raises(PermissionDenied):
        services.create_activity(actor=contact, provider_key=f"partner-{other.id}",
                                 details=directory.details(), now=NOW)


def test_partner_contact_cannot_edit_another_partners_activity(directory):
    activity = directory.activity(partner=directory.partner("Halifax Arts Café", "calderdale"))
    contact = directory.contact_for(directory.partner())
    with pytest.raises(PermissionDenied):
        services.update_activity(actor=contact, activity=activity, details=directory.details(), now=NOW)
    with pytest.raises(PermissionDenied):
        services.confirm_still_running(actor=contact, activity=activity, today=date(2026, 7, 1))


def test_linked_champion_edits_but_unlinked_champion_and_collective_member_cannot(directory):
    partner = directory.partner()
    activity = directory.activity(partner=partner)
    linked = directory.champion_for(partner)
    services.set_status(actor=linked, activity=activity, status="paused", now=NOW)
    for outsider in (directory.user(Role.CHAMPION), directory.user(Role.COLLECTIVE_MEMBER)):
        with pytest.raises(PermissionDenied):
            services.set_status(actor=outsider, activity=activity, status="active", now=NOW)


def test_a_peer_led_group_can_run_an_activity(directory):
    champion = directory.user(Role.CHAMPION)
    locality_id = db.session.scalar(select(Locality.id).where(Locality.slug == "wakefield"))
    group = groups.create_group(actor=champion, details=groups.GroupDetails(
        name="Wakefield Walkers", aims="Walking for wellbeing.", activity="A weekly walk.",
        locality_id=locality_id, meeting_place="The Ridings", meeting_place_private=False))
    activity = services.create_activity(actor=champion, provider_key=f"group-{group.id}",
                                        details=directory.details(title="Riverside walk", categories=("walking",),
                                                                  postcode="WF1 5AW"), now=NOW)
    assert activity.provider_name == "Wakefield Walkers"
    assert activity.partner_id is None


@pytest.mark.parametrize("postcode, message", [
    ("AB10 1XG", "We don't know where that postcode is"),
    ("'; drop table", "Enter a postcode"),
])
def test_unknown_or_malformed_venue_postcode_is_refused_on_the_postcode_field(directory, postcode, message):
    with pytest.raises(RuleViolation) as refused:
        directory.activity(postcode=postcode)
    assert refused.value.field == "postcode" and message in refused.value.message


def test_ages_the_wrong_way_round_are_refused(directory):
    with pytest.raises(RuleViolation) as refused:
        directory.activity(min_age=30, max_age=18)
    assert refused.value.field == "max_age"


def test_a_set_price_needs_an_amount(directory):
    with pytest.raises(RuleViolation) as refused:
        directory.activity(cost_kind="price")
    assert refused.value.field == "cost_amount"


def test_an_activity_needs_a_category(directory):
    with pytest.raises(RuleViolation) as refused:
        directory.activity(categories=())
    assert refused.value.field == "categories"


def test_exception_dates_are_skipped_and_fortnightly_counts_from_the_first_date(directory):
    schedule = Schedule(frequency="fortnightly", start_date=date(2026, 6, 17), start_time=time(10),
                        end_time=time(12), exceptions=frozenset({date(2026, 7, 1)}))
    activity = directory.activity(schedule=schedule)
    starts = [session.starts_at.date() for session in activity.occurrences]
    assert starts[:3] == [date(2026, 6, 17), date(2026, 7, 15), date(2026, 7, 29)]
    assert activity.occurrences[0].part_of_day == "morning"


def test_pausing_removes_upcoming_sessions_and_is_audited(directory):
    activity = directory.activity()
    services.set_status(actor=directory.coordinator, activity=activity, status="paused", now=NOW)
    assert activity.occurrences == [] and activity.next_occurrence_at is None
    assert _actions(activity.id) == ["activity.created", "activity.status_changed"]


def test_still_running_confirmation_updates_last_checked_and_is_audited(directory):
    activity = directory.activity()
    services.confirm_still_running(actor=directory.coordinator, activity=activity, today=date(2027, 1, 5))
    assert activity.last_checked_on == date(2027, 1, 5)
    assert _actions(activity.id)[-1] == "activity.confirmed"


def test_listings_are_flagged_after_six_months_and_hidden_after_twelve(directory):
    activity = directory.activity()
    assert services.freshness(activity, today=date(2026, 12, 1)) == "fresh"
    assert services.freshness(activity, today=date(2026, 12, 15)) == "stale"
    assert services.freshness(activity, today=date(2027, 6, 15)) == "hidden"


def test_refreshing_occurrences_moves_the_next_session_on(directory):
    activity = directory.activity()
    later = datetime(2026, 7, 2, 12, 0, tzinfo=timezone.utc)
    refresh_all_occurrences(now=later)
    db.session.refresh(activity)
    assert activity.next_occurrence_at == datetime(2026, 7, 8, 17, 0, tzinfo=timezone.utc)
    assert db.session.scalar(select(ActivityOccurrence.starts_at).order_by(ActivityOccurrence.starts_at)) \
        == activity.next_occurrence_at


def test_editing_replaces_the_schedule_and_sessions(directory):
    activity = directory.activity()
    services.update_activity(actor=directory.coordinator, activity=activity, now=NOW,
                             details=directory.details(schedule=weekly(start=date(2026, 6, 20), at=time(10),
                                                                       until=time(11))))
    assert {session.weekday for session in activity.occurrences} == {5}
    assert _actions(activity.id) == ["activity.created", "activity.updated"]


def test_editing_updates_the_venue_in_place(directory):
    activity = directory.activity()
    services.update_activity(actor=directory.coordinator, activity=activity, now=NOW, details=directory.details(
        venue=Venue(name="Arts Café", postcode="HX1 1QG", accessibility=("hearing_loop", "step_free"))))
    assert db.session.scalar(select(func.count(Location.id))) == 1
    assert activity.location.postal_code == "HX1 1QG"
    assert activity.location.accessibility == ["step_free", "hearing_loop"]
    assert activity.locality.slug == "calderdale"


@pytest.mark.parametrize("fields, field", [
    ({"title": " "}, "title"),
    ({"suitable_for": ("everyone",)}, "suitable_for"),
    ({"join_methods": ("carrier_pigeon",)}, "join_methods"),
    ({"cost_kind": "barter"}, "cost_kind"),
    ({"venue": Venue(name="Hall", postcode="S71 1ET", accessibility=("lift",))}, "accessibility"),
])
def test_values_outside_the_choices_are_refused_before_the_database(directory, fields, field):
    with pytest.raises(RuleViolation) as refused:
        directory.activity(**fields)
    assert refused.value.field == field
