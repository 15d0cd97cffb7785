"""Characters nobody means to type, in every field of every form (issue 14, items 8 and 15): a
NUL or another control character is bad input like any other, refused by its field with a
message there and in the error summary, never a bare 400 or a 5xx; line breaks and
bidirectional controls never reach the API or the calendar from a single-line field."""
import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField, TextAreaField

from brokerage.extensions import db
from brokerage.partners.models import Partner
from tests.conftest import page_text
from tests.core.form_catalogue import every_field, every_form_class, sent
from tests.core.html_forms import page_forms
from tests.core.routing import routes
from tests.demo_cache import load_demo

CANNOT_BE_SAVED = "cannot be saved"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_every_form_is_built_on_the_shared_base_that_checks_what_was_typed():
    from brokerage.core.input.forms import Form
    assert [form for form in every_form_class() if not issubclass(form, Form) and form is not FlaskForm] == []


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "12\x00", "2026-01-01\x00", "a\x07b", "\x1b[31m", "a\x7fb"])
def test_a_control_character_in_any_field_of_any_form_gets_a_message_by_that_field(app, value):
    unanswered = []
    for form_class, name in every_field(app):
        field = sent(app, form_class, name, value)
        if not any(CANNOT_BE_SAVED in message for message in field.errors):
            unanswered.append(f"{form_class.__name__}.{name}: {field.errors}")
    assert unanswered == []


def test_the_refused_text_is_shown_back_with_the_character_marked_not_raw(app):
    for form_class, name in every_field(app, StringField, unless=(PasswordField,)):
        field = sent(app, form_class, name, "Walk\x00ing")
        assert "\x00" not in field._value() and "\ufffd" in field._value(), f"{form_class.__name__}.{name}"


def test_single_line_fields_of_every_form_hold_no_line_breaks_or_bidirectional_controls(app):
    kept = []
    for form_class, name in every_field(app, StringField, unless=(TextAreaField, PasswordField)):
        field = sent(app, form_class, name, f"Walking\r\nfootball{BIDI}\u2028club\tnight")
        if field.data != "Walking football club night":
            kept.append(f"{form_class.__name__}.{name}: {field.data!r}")
    assert kept == []


def test_multi_line_fields_of_every_form_keep_their_line_breaks_and_nothing_else(app):
    wrong = []
    for form_class, name in every_field(app, TextAreaField):
        field = sent(app, form_class, name, f"First line\r\nSecond{BIDI} line\rThird\u2028line")
        if field.data != "First line\nSecond line\nThird\nline":
            wrong.append(f"{form_class.__name__}.{name}: {field.data!r}")
    assert wrong == []


def test_a_password_is_never_changed_only_a_control_character_refused(app):
    for form_class, name in every_field(app, PasswordField):
        assert sent(app, form_class, name, f"correct\u202ehorse battery").data == "correct\u202ehorse battery"
        assert CANNOT_BE_SAVED in " ".join(sent(app, form_class, name, "correct\x00horse").errors)


def _summary_and_field_error(response, field_id: str) -> bool:
    body = response.get_data(as_text=True)
    summary = body[body.find("error-summary"):body.find("</ul>", body.find("error-summary"))]
    return (CANNOT_BE_SAVED in summary and f'href="#{field_id}"' in summary
            and f'id="{field_id}-error"' in body and f'aria-describedby="{field_id}-error"' in body.replace(
                f'aria-describedby="{field_id}-hint {field_id}-error"', f'aria-describedby="{field_id}-error"'))


def test_a_nul_byte_in_a_signed_in_form_is_answered_next_to_the_field_and_in_the_summary(app, client, coordinator):
    response = client.post("/partners/new", data={"name": "Reds\x00", "type": "informal_group", "localities": ["1"]})
    assert response.status_code == 400
    assert _summary_and_field_error(response, "name")
    assert "Reds\ufffd" in response.get_data(as_text=True)  # what was typed is kept, the character marked
    with app.app_context():
        assert db.session.scalar(select(Partner)) is None


def test_a_nul_byte_in_the_public_search_is_bad_input_with_a_message_not_a_400(client):
    response = client.get("/activities", query_string={"q": "art\x00", "postcode": "HD1\x00"})
    assert response.status_code == 200
    assert _summary_and_field_error(response, "q") and _summary_and_field_error(response, "postcode")


@pytest.mark.parametrize("url, query, field_id", [
    ("/audit", {"actor": "\x00"}, "actor"),
    ("/audit", {"since": "2026-01-01\x00"}, "since"),
    ("/partners", {"q": "Reds\x00"}, "q"),
])
def test_a_nul_byte_in_a_filter_is_answered_by_its_field(client, coordinator, url, query, field_id):
    response = client.get(url, query_string=query)
    assert response.status_code == 200
    assert _summary_and_field_error(response, field_id)


@pytest.mark.parametrize("query", [{"search": "art\x00"}, {"page": "1\x00"}, {"postcode": "\x00"}])
def test_a_nul_byte_in_an_api_parameter_is_a_400_with_a_message(client, query):
    response = client.get("/api/v1/services", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request" and response.get_json()["message"]


def test_a_nul_byte_in_a_url_path_is_not_found(client, coordinator):
    assert client.get("/collectives/barnsley%00/match-rule").status_code == 404


def test_a_right_to_left_override_typed_into_a_name_never_reaches_what_others_read(app, client, coordinator):
    response = client.post("/partners/new", data={
        "name": "Reds\u202e in the\r\nCommunity", "type": "informal_group", "localities": ["1"],
        "description": "Line one\r\nLine\u2066 two"})
    assert response.status_code == 302, page_text(response)
    with app.app_context():
        partner = db.session.scalar(select(Partner))
        assert (partner.name, partner.description) == ("Reds in the Community", "Line one\nLine two")


def test_every_form_on_every_page_answers_a_nul_byte_by_its_fields_and_in_the_summary(app, client, coordinator):
    """Every box of every form, sent as a browser sends it, holding a NUL byte."""
    with app.app_context():
        load_demo()
    unanswered, checked = [], 0
    for route in routes(app, {"GET"}):
        page = client.get(route.url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        for form in page_forms(page.get_data(as_text=True)):
            if form.method != "post" or not form.boxes:
                continue
            data = {**dict(form.fields), **{name: "Kept\x00" for name in form.boxes}}
            response = client.post(form.action or route.url, data=data, headers={"Referer": route.url})
            checked += 1
            missing = [name for name in form.boxes if not _summary_and_field_error(response, name)]
            if response.status_code not in {200, 400} or missing:
                unanswered.append(f"{route} form to {form.action}: {response.status_code} {missing}")
    assert checked > 30
    assert unanswered == [], "\n".join(unanswered)


def test_an_unknown_partner_filter_is_ignored_with_a_plain_message(client, coordinator):
    response = client.get("/partners", query_string={"type": "bogus", "locality": "\x00"})
    assert response.status_code == 200
    assert "Choose a type from the list." in page_text(response) and "Not a valid choice" not in page_text(response)
    assert _summary_and_field_error(response, "locality")
    assert " required" not in response.get_data(as_text=True).split('role="search"')[1].split("</form>")[0]
