"""No input makes the partner forms or the search answer 5xx (security.md row 19), and what
people type is always shown as text (row 18)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.partners.validation import clean_text, name_key, normalise_website
from brokerage.partners.vocabulary import INTERESTS, PARTNER_TYPES

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "\x00",
            "=1+1", "%_%", "\u202e", "9" * 30, "S71 1ET"]
awkward = st.one_of(st.text(max_size=300), st.sampled_from(PAYLOADS + ["", " ", "é" * 3000]))
choice = st.one_of(st.sampled_from([*PARTNER_TYPES, *INTERESTS, "", "1", "-1", "99999999999999999999"]), awkward)


@settings(max_examples=300)
@given(text=st.text())
def test_cleaning_and_name_keys_never_fail_and_never_keep_control_characters(text):
    assert "\x00" not in clean_text(text)
    assert name_key(text) == name_key(name_key(text))


@settings(max_examples=300)
@given(text=st.text())
def test_an_accepted_website_is_always_http_or_https(text):
    try:
        website = normalise_website(text)
    except ValueError:
        return
    assert website == "" or website.startswith(("http://", "https://"))


@FUZZ
@given(name=awkward, kind=choice, charity=awkward, company=awkward, postcode=awkward, website=awkward,
       localities=st.lists(choice, max_size=3), interests=st.lists(choice, max_size=3), description=awkward)
def test_the_partner_form_never_fails_with_a_server_error(client, coordinator, name, kind, charity, company,
                                                          postcode, website, localities, interests, description):
    response = client.post("/partners/new", data={
        "name": name, "type": kind, "charity_number": charity, "company_number": company, "postcode": postcode,
        "website": website, "localities": localities, "interests": interests, "description": description})
    assert response.status_code in {200, 302, 400}
    assert "<script>alert(1)" not in response.get_data(as_text=True)


@FUZZ
@given(name=awkward, role=awkward, email=awkward, phone=awkward)
def test_the_contact_form_never_fails_with_a_server_error(client, coordinator, make_partner, name, role, email, phone):
    if not hasattr(client, "partner_id"):
        client.partner_id = make_partner()
    response = client.post(f"/partners/{client.partner_id}/contacts/new",
                           data={"name": name, "role": role, "email": email, "phone": phone, "is_primary": "y"})
    assert response.status_code in {302, 400}


@FUZZ
@given(dates=st.lists(st.one_of(awkward, st.dates().map(str)), min_size=4, max_size=4), notes=awkward)
def test_the_agreement_form_never_fails_with_a_server_error(client, coordinator, make_partner, dates, notes):
    if not hasattr(client, "partner_id"):
        client.partner_id = make_partner()
    response = client.post(f"/partners/{client.partner_id}/agreement", data=dict(zip(
        ["signed_on", "expires_on", "insurance_expires_on", "safeguarding_reviewed_on"], dates), notes=notes))
    assert response.status_code in {302, 400}


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["q", "locality", "type", "interest", "status", "archived"]), choice))
def test_the_partner_search_never_fails_with_a_server_error(client, coordinator, query):
    assert client.get("/partners", query_string=query).status_code in {200, 400}  # 400: a NUL byte is refused
    assert client.get("/partners/export.csv", query_string=query).status_code in {200, 400}
