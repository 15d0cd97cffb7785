"""The group's rules: 'unrelated' and readiness (pure functions)."""
from dataclasses import replace
from datetime import date

import pytest

from brokerage.groups.constitution.rules import default_choices
from brokerage.groups.rules import (Facts, add_months, are_related, checklist, officer_problems, related_pairs, stage,
                                    unrelated_count)

CHOICES = default_choices(name="Wakefield Walkers", aims="Walking together.", locality_name="Wakefield")


def test_same_address_is_transitive():
    declared = [(1, 2, "same_address"), (2, 3, "same_address")]
    assert are_related(1, 3, declared)
    assert unrelated_count([1, 2, 3], declared) == 1


def test_family_and_partners_relate_only_the_pair_named():
    declared = [(1, 2, "family"), (2, 3, "partners")]
    assert related_pairs(declared) == {frozenset((1, 2)), frozenset((2, 3))}
    assert not are_related(1, 3, declared)
    assert unrelated_count([1, 2, 3], declared) == 2


def test_unrelated_count_finds_the_largest_unrelated_set_up_to_three():
    assert unrelated_count([1, 2, 3, 4], []) == 3
    assert unrelated_count([1], []) == 1
    assert unrelated_count([], []) == 0


def test_agm_due_date_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 11, 30), 15) == date(2028, 2, 29)


READY = Facts(adopted_name="Walkers", choices=CHOICES.as_dict(), committee=(1, 2, 3), signatories=(1, 2, 3),
              offices={"chair": "A", "secretary": "B", "treasurer": "C", "welfare_lead": "D"},
              safeguarding_policy_on=date(2026, 6, 1), bank_status="open", bank_account_name="Walkers",
              last_annual_meeting_on=date(2026, 6, 1))


def items(facts: Facts) -> dict:
    return {item.key: item for item in checklist(facts, date(2026, 6, 15))}


def test_a_fully_ready_group_is_active():
    assert all(item.done for item in items(READY).values())
    assert stage(READY, date(2026, 6, 15)) == "active"


def test_readiness_needs_two_unrelated_signatories():
    related = replace(READY, relationships=((1, 2, "partners"), (2, 3, "same_address"), (1, 3, "family")))
    assert not items(related)["signatories"].done
    assert "two are not family" in items(related)["signatories"].next_step


def test_readiness_prefers_three_unrelated_signatories():
    two = replace(READY, relationships=((1, 2, "partners"),))
    assert items(two)["signatories"].done
    assert "three signatories" in items(two)["signatories"].next_step


@pytest.mark.parametrize("committee", [(1, 2), (1, 2, 3)])
def test_readiness_needs_three_committee_members_of_whom_two_unrelated(committee):
    facts = replace(READY, committee=committee, relationships=((1, 2, "same_address"), (2, 3, "same_address")))
    assert not items(facts)["committee"].done


def test_readiness_needs_chair_secretary_and_treasurer():
    facts = replace(READY, offices={"chair": "A", "secretary": "B"})
    assert not items(facts)["officers"].done
    assert "treasurer" in items(facts)["officers"].next_step


def test_readiness_bank_account_name_must_equal_the_constitution_name_exactly():
    facts = replace(READY, bank_account_name="Walkers Group")
    assert not items(facts)["bank"].done
    assert stage(facts, date(2026, 6, 15)) == "constituted"


def test_group_whose_agm_is_overdue_is_dormant():
    facts = replace(READY, last_annual_meeting_on=date(2025, 1, 1))
    assert stage(facts, date(2026, 6, 15)) == "dormant"
    assert "Overdue" in items(facts)["agm"].detail


def test_group_without_an_adopted_constitution_is_forming():
    assert stage(Facts(), date(2026, 6, 15)) == "forming"
    assert stage(replace(READY, closed_on=date(2026, 6, 2)), date(2026, 6, 15)) == "closed"


def test_one_person_in_every_office_is_not_done_and_the_checklist_names_the_offices():
    facts = Facts(choices=CHOICES.as_dict(), adopted_name="Wakefield Walkers", offices={o: "Sam" for o in ("chair", "secretary", "treasurer")},
                  office_holders={"chair": 1, "secretary": 1, "treasurer": 1})
    item = next(i for i in checklist(facts, date(2026, 7, 1)) if i.key == "officers")
    assert not item.done
    assert "Sam is already the chair" in item.detail and "three different people" in item.detail


def test_a_chair_and_treasurer_who_are_related_are_not_done():
    facts = Facts(choices=CHOICES.as_dict(), adopted_name="Wakefield Walkers",
                  offices={"chair": "Ann", "secretary": "Bea", "treasurer": "Cal"},
                  office_holders={"chair": 1, "secretary": 2, "treasurer": 3}, relationships=((1, 3, "family"),))
    item = next(i for i in checklist(facts, date(2026, 7, 1)) if i.key == "officers")
    assert not item.done and "Cal and Ann are related" in item.detail


def test_officer_problems_allow_a_related_secretary_and_treasurer():
    assert officer_problems({"chair": 1, "secretary": 2, "treasurer": 3}, [(2, 3, "partners")], {}) == {}
