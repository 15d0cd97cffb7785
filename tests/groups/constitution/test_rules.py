"""The constitution's rules, its clauses and the comparison of versions: pure functions."""
from dataclasses import replace
from datetime import date

from brokerage.groups.constitution.clauses import Adoption, render_clauses
from brokerage.groups.constitution.compare import compare_clauses
from brokerage.groups.constitution.rules import default_choices, quorum_warning, rule_problems

CHOICES = default_choices(name="Wakefield Walkers", aims="Walking together.", locality_name="Wakefield")


def problems(**changes) -> dict:
    return rule_problems(replace(CHOICES, **changes))


def test_defaults_break_no_rule():
    assert rule_problems(CHOICES) == {}


def test_quorum_of_one_is_refused():
    assert "quorum of 1" in problems(quorum_minimum=1)["quorum_minimum"]


def test_quorum_below_three_members_is_refused():
    assert "at least 3" in problems(quorum_minimum=2)["quorum_minimum"]
    assert "quorum_minimum" not in problems(quorum_minimum=3)


def test_a_four_person_group_is_warned_of_the_default_quorum_and_offered_one_it_can_meet():
    message, proposal = quorum_warning(CHOICES, 4)
    assert "4 members, fewer than the quorum of 5" in message and proposal == 3
    assert quorum_warning(CHOICES, 6) is None
    assert quorum_warning(CHOICES, 2)[1] is None


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


def test_the_dissolution_and_amendment_questions_state_their_rules():
    from brokerage.groups.constitution.rules import QUESTION_BY_SLUG
    assert "never to the members" in QUESTION_BY_SLUG["dissolution"].rule
    assert "two-thirds" in QUESTION_BY_SLUG["amendments"].rule


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


def test_comparison_lists_only_changed_clauses_with_removed_and_added_text():
    old = render_clauses(CHOICES)
    new = render_clauses(replace(CHOICES, notice_days=21))
    changes = compare_clauses(old, new)
    assert [change.number for change in changes] == [9]
    assert any("14 days' notice" in text for text in changes[0].removed)
    assert any("21 days' notice of a general meeting" in text for text in changes[0].added)
