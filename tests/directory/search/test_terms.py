"""Search words: stems and synonyms good enough that "singing" finds a choir."""
import json

import pytest

from brokerage.directory.search.terms import (DESCRIPTION, MAX_QUERY_WORDS, PROVIDER, TITLE, indexed_terms, matches,
                                              query_words, stem, weighted_terms)
from brokerage.directory.listings.taxonomy import TAXONOMY_FILE


def finds(query: str, document: str) -> bool:
    return matches(query_words(query), indexed_terms(document))


@pytest.mark.parametrize("word", ["walk", "walks", "walking", "walked", "Walkers"])
def test_forms_of_walk_share_a_stem(word):
    assert stem(word) == stem("walk") == "walk"


@pytest.mark.parametrize("a, b", [("running", "run"), ("swimming", "swim"), ("dancing", "dance"),
                                  ("activities", "activity"), ("classes", "class"), ("knitting", "knit"),
                                  ("Cafés", "cafe"), ("gardening", "garden"), ("painter", "painting")])
def test_word_forms_meet_at_the_same_stem(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("word", ["sing", "bus", "tennis", "chess", "water", "need"])
def test_short_and_irregular_words_are_not_mangled(word):
    assert stem(word) == word


@pytest.mark.parametrize("query, document", [
    ("singing", "Huddersfield Community Choir"),
    ("walks", "Wednesday walking group round Holmfirth"),
    ("walking", "Short walk by the canal"),
    ("footy", "Good Mood Football League"),
    ("football", "Walking football for over 50s"),
    ("art", "Painting for pleasure"),
    ("knit", "Knit and natter"),
    ("coffee", "Arts Café drop-in"),
    ("Hike", "Hill walking in the Pennines"),
    ("singing for beginners", "Choir for beginners"),
])
def test_queries_find_documents_by_stem_or_synonym(query, document):
    assert finds(query, document)


@pytest.mark.parametrize("query, document", [
    ("choir", "Football league"),
    ("walking football", "Choir"),
    ("painting", "Pottery"),  # synonyms run one way: "art" finds painting, "painting" is narrower
])
def test_unrelated_documents_do_not_match(query, document):
    assert not finds(query, document)


def test_every_query_word_must_be_satisfied():
    assert finds("walking football", "Walking football at Batley")
    assert not finds("walking football", "Canal walks")


def test_stop_words_are_ignored_and_long_queries_are_capped():
    assert query_words("a group for the singing") == query_words("singing")
    assert len(query_words("word " * 500)) == MAX_QUERY_WORDS
    assert query_words("") == [] and query_words("!!! ''; --") == []


def test_every_category_name_is_found_by_its_own_words():
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    for parent in data["terms"]:
        for child in parent["children"]:
            assert finds(child["name"], f"{child['name']} {parent['name']}"), child["code"]


def test_a_term_keeps_the_best_place_it_was_found_and_a_provider_gives_no_synonyms():
    found = weighted_terms(title="Walking netball Sport", description="Near the football ground.",
                           provider="Halifax Arts Café Netball")
    assert (found["netball"], found["football"], found["halifax"]) == (TITLE, DESCRIPTION, PROVIDER)
    assert "paint" not in found and "art" in found
