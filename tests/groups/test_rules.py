"""The constitution's rules, the clauses, 'unrelated', comparison and readiness: pure functions."""
from dataclasses import replace
from datetime import date

import pytest

from brokerage.groups.clauses import Adoption, render_clauses
from brokerage.groups.compare import compare_clauses
from brokerage.groups.constitution import default_choices, dissolution_problem, rule_problems
from brokerage.groups.meetings import passes, quorum_needed
from brokerage.groups.readiness import Facts, add_months, checklist, stage
from brokerage.groups.unrelated import are_related, related_pairs, unrelated_count

CHOICES = default_choices(name="Wakefield Walkers", aims="Walking together.", locality_name="Wakefield")


def problems(**changes) -> dict:
    return rule_problems(replace(CHOICES, **changes))


def test_defaults_break_no_rule():
    assert rule_problems(CHOICES) == {}


def test_quorum_of_one_is_refused():
    assert "quorum of 1" in problems(quorum_minimum=1)["quorum_minimum"]


def test_quorum_below_five_members_is_refused():
    assert "at least 5" in problems(quorum_minimum=4)["quorum_minimum"]


def test_quorum_below_a_third_of_members_is_refused():
    assert "a third" in problems(quorum_fraction=4)["quorum_fraction"]


def test_committee_of_fewer_than_three_is_refused():
    assert "at least 3" in problems(committee_min=2)["committee_min"]


def test_committee_with_fewer_than_two_unrelated_is_refused():
    assert "unrelated" in problems(committee_unrelated_min=1)["committee_unrelated_min"]


def test_fewer_than_three_signatories_is_refused():
    assert "at least 3 signatories" in problems(signatories_minimum=2)["signatories_minimum"]


def test_payments_signed_by_fewer_than_two_unrelated_signatories_are_refused():
    assert "two unrelated signatories" in problems(signatures_per_payment=1)["signatures_per_payment"]


def test_amendments_by_simple_majority_are_refused():
    assert "two-thirds" in problems(amendment_threshold="simple_majority")["amendment_threshold"]


def test_notice_below_fourteen_days_is_refused():
    assert "14 days" in problems(notice_days=13)["notice_days"]


def test_constitutional_change_notice_below_twenty_one_days_is_refused():
    assert "21 days" in problems(amendment_notice_days=20)["amendment_notice_days"]


def test_agm_interval_above_fifteen_months_is_refused():
    assert "15 months" in problems(agm_within_months=16)["agm_within_months"]


def test_assets_to_members_on_dissolution_are_refused():
    assert "never to the members" in dissolution_problem("members")
    assert dissolution_problem("similar_aims") is None


def test_all_seventeen_clauses_are_rendered_in_plain_english():
    clauses = render_clauses(CHOICES)
    assert [clause["number"] for clause in clauses] == list(range(1, 18))
    assert [clause["title"] for clause in clauses][:2] == ["Name", "Aims and area of benefit"]
    text = " ".join(" ".join(clause["paragraphs"]) for clause in clauses)
    for phrase in ("Wakefield Walkers", "14 days' notice", "21 days' notice", "5 members or a third",
                   "2 signatories who are not related", "never to the members", "within 15 months",
                   "chance to be heard", "last day of March"):
        assert phrase in text


def test_adoption_clause_records_the_founding_meeting():
    adoption = Adoption(founded_on=date(2026, 6, 1), members_present=6, proposer="Ann", seconder="Bob")
    clause = render_clauses(CHOICES, adoption)[16]
    assert "1 June 2026, with 6 members present" in clause["paragraphs"][0]
    assert "proposed by Ann and seconded by Bob" in clause["paragraphs"][0]


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


def test_two_thirds_of_those_present_and_voting_ignores_abstentions():
    assert passes(4, 2)
    assert not passes(3, 2)
    assert passes(2, 1)
    assert not passes(0, 0)
    assert not passes(7, 3, "three_quarters")


def test_quorum_is_the_greater_of_five_or_a_third_of_members():
    assert quorum_needed({"quorum_minimum": 5, "quorum_fraction": 3}, 9) == 5
    assert quorum_needed({"quorum_minimum": 5, "quorum_fraction": 3}, 30) == 10


def test_comparison_lists_only_changed_clauses_with_removed_and_added_text():
    old = render_clauses(CHOICES)
    new = render_clauses(replace(CHOICES, notice_days=21))
    changes = compare_clauses(old, new)
    assert [change.number for change in changes] == [9]
    assert any("14 days' notice" in text for text in changes[0].removed)
    assert any("21 days' notice of a general meeting" in text for text in changes[0].added)


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
