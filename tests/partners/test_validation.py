"""Charity and company numbers, postcodes, names (for duplicates), websites and phone numbers."""
import pytest

from brokerage.core.values.postcodes import InvalidPostcode, normalise_district, normalise_postcode, outward_code
from brokerage.partners.validation import (name_key, normalise_charity_number, normalise_company_number,
                                           normalise_phone, normalise_website)


@pytest.mark.parametrize("typed, stored", [
    ("s71 1et", "S71 1ET"), ("S711ET", "S71 1ET"), ("  hx7   8ad ", "HX7 8AD"), ("wf13 2se", "WF13 2SE"),
    ("OL14 7LB", "OL14 7LB"), ("hd1 6qf", "HD1 6QF"), ("EC1A 1BB", "EC1A 1BB"), ("W1A 0AX", "W1A 0AX"),
    ("M1 1AE", "M1 1AE"), ("gir 0aa", "GIR 0AA"),
])
def test_postcodes_are_stored_in_capitals_with_one_space(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["", "S71", "S71 1E", "S71 1ETT", "71 1ET", "QS1 1AA", "S71 1CI", "GIR 1AA",
                                   "S7!1ET", "S71 1ET; DROP TABLE", "x" * 10_000])
def test_things_that_are_not_postcodes_are_refused(typed):
    with pytest.raises(InvalidPostcode, match="Enter a real UK postcode"):
        normalise_postcode(typed)


def test_postcode_district_helpers():
    assert outward_code("WF13 2SE") == "WF13"
    assert normalise_district(" hx7 ") == "HX7"
    with pytest.raises(InvalidPostcode):
        normalise_district("HX7 8AD")


@pytest.mark.parametrize("typed, stored", [("1120412", "1120412"), ("519876", "519876"), ("1 120 412", "1120412"),
                                           ("12345678", "12345678")])
def test_charity_numbers_of_6_to_8_digits_are_accepted(typed, stored):
    assert normalise_charity_number(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "123456789", "SC012345", "112041A", "1120412-1", "-1120412"])
def test_other_charity_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="6 to 8 digits"):
        normalise_charity_number(typed)


@pytest.mark.parametrize("typed, stored", [("06219581", "06219581"), ("6219581", "06219581"), ("123", "00000123"),
                                           ("sc123456", "SC123456"), ("NI 012345", "NI012345"), ("OC301234", "OC301234"),
                                           ("CE000123", "CE000123")])
def test_company_numbers_are_eight_characters_padded_with_zeros(typed, stored):
    assert normalise_company_number(typed) == stored


@pytest.mark.parametrize("typed", ["123456789", "S1234567", "SC12345", "SC1234567", "1234567A", "=1+1"])
def test_other_company_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="Companies House number"):
        normalise_company_number(typed)


@pytest.mark.parametrize("one, other", [("The Arts Café", "arts cafe"), ("Reds in the Community", "REDS IN THE COMMUNITY."),
                                        ("Food & Friends", "Food and Friends"), ("Summit  Climbing-Wall", "summit climbing wall")])
def test_names_that_differ_only_in_case_accents_or_punctuation_are_the_same(one, other):
    assert name_key(one) == name_key(other)


def test_different_names_stay_different():
    assert name_key("Calder Valley Walkers") != name_key("Calder Valley Walking Group")


@pytest.mark.parametrize("typed, stored", [("www.example.org", "https://www.example.org"),
                                           ("http://example.org/about", "http://example.org/about"),
                                           ("", "")])
def test_websites_are_http_or_https(typed, stored):
    assert normalise_website(typed) == stored


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org",
                                   "https://localhost", "https://user:pw@example.org", "not a website"])
def test_other_web_addresses_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_website(typed)


@pytest.mark.parametrize("typed", ["01226 123456", "07700 900123", "+44 7700 900123", "(0113) 496 0102"])
def test_uk_phone_numbers_are_accepted(typed):
    assert normalise_phone(typed) == typed


@pytest.mark.parametrize("typed", ["12345", "call me", "+1 212 555 0100", "0770090012345"])
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(ValueError, match="UK phone number"):
        normalise_phone(typed)
