"""Group services: people and consent, the builder's refusals, adoption, amendments, readiness, audit."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import RuleViolation
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.constitution import services as drafting
from brokerage.groups.lifecycle import readiness_for, stage_of
from brokerage.groups.meetings import services as meetings
from brokerage.groups.meetings.services import MeetingRecord
from brokerage.groups.models import ConstitutionDraft, ConstitutionVersion, Group
from brokerage.groups.people import services as people


def actions(group) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "group", AuditEvent.object_id == group.id).order_by(AuditEvent.id)))


def test_new_group_is_forming_with_a_default_draft(build):
    group, actor = build.group()
    draft = drafting.draft_of(group)
    assert stage_of(group) == "forming"
    assert draft.name == "Wakefield Walkers" and draft.quorum_minimum == 5 and draft.notice_days == 14
    assert draft.area_of_benefit == "Wakefield and the surrounding area"
    assert actions(group) == ["group.created"]


def test_contact_details_are_refused_without_consent(build):
    group, actor = build.group()
    new = people.NewPerson(name="Ann", contact="07700 900123", consent_given=False, consent_on=None)
    with pytest.raises(RuleViolation) as error:
        people.add_person(actor=actor, group=group, new=new)
    assert error.value.field == "contact"


def test_consent_needs_its_date(build):
    group, actor = build.group()
    with pytest.raises(RuleViolation) as error:
        people.add_person(actor=actor, group=group, new=people.NewPerson(
            name="Ann", contact=None, consent_given=True, consent_on=None))
    assert error.value.field == "consent_on"


def test_member_without_an_account_or_consent_keeps_only_a_name(build):
    group, actor = build.group()
    person = people.add_person(actor=actor, group=group, new=people.NewPerson(
        name="Ann", contact=None, consent_given=False, consent_on=None))
    assert person.founding and person.user_id is None and person.contact is None


def test_database_refuses_contact_details_without_consent(build):
    group, actor = build.group()
    person = build.members(group, actor, 1)[0]
    person.consent_given, person.consent_on, person.contact = False, None, "ann@example.org"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_member_account_is_linked_by_email_and_unknown_email_is_refused(build):
    group, actor = build.group()
    member = build.user(Role.COLLECTIVE_MEMBER, email="ann@example.org")
    person = people.add_person(actor=actor, group=group, new=people.NewPerson(
        name="Ann", contact=None, consent_given=False, consent_on=None, account_email="ANN@example.org"))
    assert person.user_id == member.id
    with pytest.raises(RuleViolation) as error:
        people.add_person(actor=actor, group=group, new=people.NewPerson(
            name="Bo", contact=None, consent_given=False, consent_on=None, account_email="nobody@example.org"))
    assert error.value.field == "account_email"


def test_builder_refuses_quorum_of_one_and_keeps_the_saved_answer(build):
    group, actor = build.group()
    with pytest.raises(RuleViolation) as error:
        drafting.save_answer(actor=actor, group=group, question="quorum",
                             answers={"quorum_minimum": 1, "quorum_fraction": 3})
    assert error.value.field == "quorum_minimum"
    db.session.rollback()
    assert drafting.draft_of(group).quorum_minimum == 5


def test_builder_refuses_amendments_by_simple_majority(build):
    group, actor = build.group()
    with pytest.raises(RuleViolation) as error:
        drafting.save_answer(actor=actor, group=group, question="amendments",
                             answers={"amendment_threshold": "simple_majority"})
    assert "two-thirds" in error.value.message


def test_builder_saves_an_answer_and_audits_it(build):
    group, actor = build.group()
    drafting.save_answer(actor=actor, group=group, question="meetings", answers={
        "agm_within_months": 12, "notice_days": 21, "amendment_notice_days": 28, "special_meeting_request": 4})
    draft = drafting.draft_of(group)
    assert (draft.notice_days, draft.amendment_notice_days, draft.answered) == (21, 28, ["meetings"])
    assert "constitution.answer_saved" in actions(group)


def test_database_refuses_a_rule_breaking_draft(build):
    group, _ = build.group()
    drafting.draft_of(group).quorum_minimum = 1
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def founding(members, **changes) -> MeetingRecord:
    values = dict(held_on=date(2026, 6, 1), attendee_ids=tuple(p.id for p in members), proposer_id=members[0].id,
                  seconder_id=members[1].id, votes_for=len(members), votes_against=0, votes_abstain=0)
    return MeetingRecord(**{**values, **changes})


def test_founding_meeting_adopts_version_one_with_frozen_text(build):
    group, actor = build.group()
    members = build.members(group, actor)
    version = meetings.record_founding_meeting(actor=actor, group=group, record=founding(members))
    assert (version.number, version.name, version.adopted_on) == (1, "Wakefield Walkers", date(2026, 6, 1))
    assert len(version.clauses) == 17
    assert "proposed by Member A and seconded by Member B" in version.clauses[16]["paragraphs"][0]
    assert stage_of(group) == "constituted"
    assert {"meeting.recorded", "constitution.adopted", "group.stage_changed"} <= set(actions(group))


def test_adopted_text_does_not_change_when_the_draft_changes(build):
    group, actor = build.group()
    build.adopt(group, actor, build.members(group, actor))
    drafting.save_answer(actor=actor, group=group, question="name", answers={"name": "Wakefield Ramblers"})
    version = db.session.scalar(select(ConstitutionVersion).where(ConstitutionVersion.group_id == group.id))
    assert version.name == "Wakefield Walkers"
    assert "Wakefield Walkers" in version.clauses[0]["paragraphs"][0]


@pytest.mark.parametrize("changes, field", [
    ({"held_on": date(2026, 6, 16)}, "held_on"),
    ({"seconder_id": "proposer"}, "seconder_id"),
    ({"proposer_id": "absent"}, "proposer_id"),
    ({"votes_for": 5, "votes_against": 1, "votes_abstain": 1}, "votes_for"),
    ({"votes_for": 3, "votes_against": 2, "votes_abstain": 1}, "votes_for"),
])
def test_founding_meeting_refusals(build, changes, field):
    """In the future; seconder is the proposer; proposer absent; votes exceed those present; under two-thirds."""
    group, actor = build.group()
    members = build.members(group, actor, 7)
    present = members[:6]
    changes = {**changes}
    if changes.get("seconder_id") == "proposer":
        changes["seconder_id"] = present[0].id
    if changes.get("proposer_id") == "absent":
        changes["proposer_id"] = members[6].id
    with pytest.raises(RuleViolation) as error:
        meetings.record_founding_meeting(actor=actor, group=group, record=founding(present, **changes))
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(ConstitutionVersion).where(ConstitutionVersion.group_id == group.id)) is None


def test_abstentions_do_not_count_against_two_thirds(build):
    group, actor = build.group()
    members = build.members(group, actor)
    record = founding(members, votes_for=2, votes_against=1, votes_abstain=3)
    assert meetings.record_founding_meeting(actor=actor, group=group, record=record).number == 1


def test_a_second_founding_meeting_is_refused(build):
    group, actor = build.group()
    members = build.members(group, actor)
    build.adopt(group, actor, members)
    with pytest.raises(RuleViolation):
        meetings.record_founding_meeting(actor=actor, group=group, record=founding(members))


def amendment(members, **changes) -> MeetingRecord:
    values = dict(held_on=date(2026, 6, 14), notice_given_on=date(2026, 5, 20), attendee_ids=tuple(p.id for p in members),
                  proposer_id=members[0].id, seconder_id=members[1].id, votes_for=len(members),
                  votes_against=0, votes_abstain=0)
    return MeetingRecord(**{**values, **changes})


@pytest.fixture
def adopted(build):
    group, actor = build.group()
    members = build.members(group, actor)
    build.adopt(group, actor, members, held_on=date(2026, 5, 1))
    drafting.save_answer(actor=actor, group=group, question="meetings", answers={"notice_days": 21})
    return group, actor, members


def test_amendment_creates_version_two_and_keeps_version_one(adopted):
    group, actor, members = adopted
    new = meetings.record_amendment_meeting(actor=actor, group=group, kind="special", record=amendment(members))
    versions = drafting.versions_of(group)
    assert [v.number for v in versions] == [1, 2] and new.number == 2
    assert "14 days' notice of a general meeting" in " ".join(versions[0].clauses[8]["paragraphs"])
    assert "21 days' notice of a general meeting" in " ".join(versions[1].clauses[8]["paragraphs"])
    assert "version 2, as amended at the special general meeting held on 14 June 2026" in \
        versions[1].clauses[16]["paragraphs"][1]
    changes = drafting.compare_versions(actor=actor, group=group, old=1, new=2)
    assert [(c.number, c.title) for c in changes] == [(9, "General meetings"), (17, "Adoption")]
    assert "constitution.amended" in actions(group)


def test_amendment_without_enough_notice_is_refused(adopted):
    group, actor, members = adopted
    with pytest.raises(RuleViolation) as error:
        meetings.record_amendment_meeting(actor=actor, group=group, kind="special",
                                          record=amendment(members, notice_given_on=date(2026, 5, 25)))
    assert error.value.field == "notice_given_on"
    assert "21 days' notice" in error.value.message


def test_amendment_without_two_thirds_is_refused(adopted):
    group, actor, members = adopted
    with pytest.raises(RuleViolation) as error:
        meetings.record_amendment_meeting(actor=actor, group=group, kind="annual",
                                          record=amendment(members, votes_for=3, votes_against=2))
    assert "two-thirds" in error.value.message
    db.session.rollback()
    assert [v.number for v in drafting.versions_of(group)] == [1]


def test_inquorate_amendment_meeting_is_refused(adopted):
    group, actor, members = adopted
    with pytest.raises(RuleViolation) as error:
        meetings.record_amendment_meeting(actor=actor, group=group, kind="special",
                                          record=amendment(members[:4], votes_for=4))
    assert "not quorate" in error.value.message


def test_amendment_without_proposed_changes_is_refused(build):
    group, actor = build.group()
    members = build.members(group, actor)
    build.adopt(group, actor, members, held_on=date(2026, 5, 1))
    with pytest.raises(RuleViolation) as error:
        meetings.record_amendment_meeting(actor=actor, group=group, kind="special", record=amendment(members))
    assert "no proposed changes" in error.value.message


def test_agm_resets_the_next_agm_due_date(adopted):
    group, actor, members = adopted
    assert readiness_for(group).next_agm_due == date(2027, 8, 1)
    meetings.record_annual_meeting(actor=actor, group=group, record=MeetingRecord(
        held_on=date(2026, 6, 10), notice_given_on=date(2026, 5, 20), attendee_ids=tuple(p.id for p in members)))
    assert readiness_for(group).next_agm_due == date(2027, 9, 10)


def test_agm_without_the_required_notice_is_refused(adopted):
    group, actor, members = adopted
    with pytest.raises(RuleViolation) as error:
        meetings.record_annual_meeting(actor=actor, group=group, record=MeetingRecord(
            held_on=date(2026, 6, 10), notice_given_on=date(2026, 6, 1), attendee_ids=tuple(p.id for p in members)))
    assert error.value.field == "notice_given_on"


def test_bank_account_stores_only_four_digits(build):
    group, actor = build.group()
    build.adopt(group, actor, build.members(group, actor))
    for bad in ("123", "12345678", "12a4", "١٢٣٤"):
        with pytest.raises(RuleViolation) as error:
            services.set_bank_account(actor=actor, group=group, status="open",
                                        account_name="Wakefield Walkers", last4=bad)
        assert error.value.field == "last4"
    services.set_bank_account(actor=actor, group=group, status="open", account_name="Wakefield Walkers", last4="4821")
    assert (group.bank_status, group.bank_account_last4) == ("open", "4821")


def test_bank_account_name_must_equal_the_constitution_name_exactly(build):
    group, actor = build.group()
    build.adopt(group, actor, build.members(group, actor))
    with pytest.raises(RuleViolation) as error:
        services.set_bank_account(actor=actor, group=group, status="open",
                                    account_name="Wakefield walkers", last4="4821")
    assert error.value.field == "account_name"


def test_readiness_goes_green_item_by_item_and_each_change_is_audited(build):
    group, actor = build.group()
    members = build.members(group, actor)

    def done() -> set[str]:
        return {item.key for item in readiness_for(group).items if item.done}
    assert done() == set()
    build.adopt(group, actor, members)
    assert done() == {"constitution", "agm"}
    people.set_officers(actor=actor, group=group, holders={
        "chair": members[0].id, "secretary": members[1].id, "treasurer": members[2].id, "welfare_lead": members[3].id})
    assert {"officers", "committee"} <= done()
    people.declare_relationship(actor=actor, group=group, first_id=members[0].id, second_id=members[1].id,
                                kind="partners")
    people.set_committee_and_signatories(actor=actor, group=group, committee_ids={m.id for m in members[:4]},
                                         signatory_ids={members[0].id, members[1].id})
    assert "signatories" not in done()
    people.set_committee_and_signatories(actor=actor, group=group, committee_ids={m.id for m in members[:4]},
                                         signatory_ids={members[0].id, members[1].id, members[2].id})
    assert "signatories" in done()
    services.record_safeguarding_policy(actor=actor, group=group, adopted_on=date(2026, 6, 2))
    assert "safeguarding" in done()
    services.set_bank_account(actor=actor, group=group, status="open", account_name="Wakefield Walkers", last4="4821")
    assert len(done()) == 7 and stage_of(group) == "active"
    assert {"group.officer_changed", "group.relationship_declared", "group.roles_changed",
            "group.safeguarding_recorded", "group.bank_changed"} <= set(actions(group))
    stages = [e.after["stage"] for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "group.stage_changed").order_by(AuditEvent.id))]
    assert stages == ["constituted", "active"]


def test_officers_stay_on_the_committee(build):
    group, actor = build.group()
    members = build.members(group, actor, 3)
    people.set_officers(actor=actor, group=group, holders={"chair": members[0].id})
    with pytest.raises(RuleViolation) as error:
        people.set_committee_and_signatories(actor=actor, group=group, committee_ids=set(), signatory_ids=set())
    assert error.value.field == "committee_ids"


def test_closing_a_group_is_audited_and_shown_as_closed(build):
    group, _ = build.group()
    coordinator = build.user(Role.COORDINATOR)
    services.close_group(actor=coordinator, group=group, reason="Members moved away.")
    assert stage_of(group) == "closed"
    assert actions(group)[-2:] == ["group.closed", "group.stage_changed"]


def test_private_meeting_place_is_never_shown_publicly(build):
    group, _ = build.group(private=True)
    assert "Acacia" not in services.public_meeting_place(group)
    assert services.public_meeting_place(group) == "A private address in Wakefield (members are told where)"
    open_group, _ = build.group(name="Open Circle")
    assert services.public_meeting_place(open_group) == open_group.meeting_place


def test_group_is_stored_in_its_own_table(build):
    group, _ = build.group()
    assert db.session.get(Group, group.id).name == "Wakefield Walkers"
    assert db.session.scalar(select(ConstitutionDraft.group_id)) == group.id


def test_the_adopted_constitution_names_the_group(build):
    group, actor = build.group()
    drafting.save_answer(actor=actor, group=group, question="name", answers={"name": "Wakefield Wanderers"})
    build.adopt(group, actor, build.members(group, actor))
    assert group.name == "Wakefield Wanderers"


def test_one_person_cannot_hold_every_office(build):
    group, actor = build.group()
    members = build.members(group, actor, 3)
    with pytest.raises(RuleViolation) as error:
        people.set_officers(actor=actor, group=group, holders={
            "chair": members[0].id, "secretary": members[0].id, "treasurer": members[0].id})
    assert error.value.field == "secretary" and "three different people" in error.value.message
    assert people.officers_of(group) == {}


def test_the_treasurer_cannot_be_related_to_the_chair(build):
    group, actor = build.group()
    members = build.members(group, actor, 3)
    people.declare_relationship(actor=actor, group=group, first_id=members[0].id, second_id=members[2].id,
                                kind="same_address")
    with pytest.raises(RuleViolation) as error:
        people.set_officers(actor=actor, group=group, holders={
            "chair": members[0].id, "secretary": members[1].id, "treasurer": members[2].id})
    assert error.value.field == "treasurer" and "must not be related" in error.value.message
