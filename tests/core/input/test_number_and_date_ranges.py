"""Every number and date a person types has a sensible range, with a message by the field
(issue 14, items 9 and 10): nothing reaches the database beyond its column (a 500 from 2^31 on
PostgreSQL, 2^63 on SQLite), no absurd value just under it is accepted (a quorum of
2,147,483,647), and no date makes the arithmetic overflow (the year 9999 plus a day)."""
import pytest
from sqlalchemy import Integer, select
from wtforms import DateField, DecimalField, FloatField, IntegerField

from brokerage.core.input.fields import MAX_AMOUNT_PENCE, PoundsField
from brokerage.extensions import db
from brokerage.groups.models import ConstitutionDraft
from tests.conftest import page_text
from tests.core.form_catalogue import every_field, every_form_class, sent
from tests.core.routing import routes
from tests.demo_cache import load_demo

INTEGER_COLUMN_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is 2^63 - 1
NUMBERS = (IntegerField, DecimalField, FloatField)


def _maximum(app, form_class, name: str) -> int | None:
    with app.test_request_context():
        field = form_class(formdata=None, meta={"csrf": False})[name]
    maxima = [check.max for check in field.validators if isinstance(getattr(check, "max", None), int)]
    return max(maxima) if maxima else None


def test_every_number_field_of_every_form_has_a_maximum_its_database_column_can_hold(app):
    unbounded = [f"{form_class.__name__}.{name}: {_maximum(app, form_class, name)}"
                 for form_class, name in every_field(app, NUMBERS)
                 if not (_maximum(app, form_class, name) or INTEGER_COLUMN_MAX + 1) <= INTEGER_COLUMN_MAX]
    assert len(every_field(app, NUMBERS)) > 30 and unbounded == []


@pytest.mark.parametrize("beyond", [lambda most: most + 1, lambda most: 2**31, lambda most: 2**63,
                                    lambda most: int("9" * 400), lambda most: -(2**63) - 1],
                         ids=["maximum + 1", "2^31", "2^63", "400 digits", "below -2^63"])
def test_a_number_beyond_its_range_gets_a_message_by_its_field(app, beyond):
    accepted = []
    for form_class, name in every_field(app, NUMBERS):
        value = beyond(_maximum(app, form_class, name) or INTEGER_COLUMN_MAX)
        field = sent(app, form_class, name, str(value))
        if not field.errors:
            accepted.append(f"{form_class.__name__}.{name} = {value}")
    assert accepted == []


def test_the_largest_number_in_range_is_accepted_by_every_number_field(app):
    refused = []
    for form_class, name in every_field(app, NUMBERS):
        field = sent(app, form_class, name, str(_maximum(app, form_class, name)))
        if field.errors:
            refused.append(f"{form_class.__name__}.{name}: {field.errors}")
    assert refused == []


def test_money_is_at_most_ten_million_pounds_in_every_form_and_fits_its_columns(app):
    assert MAX_AMOUNT_PENCE <= INTEGER_COLUMN_MAX
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("pence") or column.name in {"amount", "cap"}:
                assert isinstance(column.type, Integer), f"{table.name}.{column.name}"
    for form_class, name in every_field(app, PoundsField):
        assert sent(app, form_class, name, "10,000,000.01").errors, f"{form_class.__name__}.{name}"
        assert sent(app, form_class, name, "9" * 400).errors, f"{form_class.__name__}.{name}"
        assert not sent(app, form_class, name, "10,000,000").errors, f"{form_class.__name__}.{name}"


@pytest.fixture
def demo_data(app):
    with app.app_context():
        load_demo()


@pytest.mark.parametrize("quorum", ["2147483648", "9223372036854775808", "2147483647", "501"])
def test_an_absurd_quorum_gets_a_message_by_the_field_never_a_500(app, client, demo_data, coordinator, quorum):
    url = "/groups/1/constitution/questions/quorum"
    response = client.post(url, data={"quorum_minimum": quorum, "quorum_fraction": "3"})
    assert response.status_code == 200 and "Enter a whole number from 0 to 500." in page_text(response)
    assert f'value="{quorum}"' in response.get_data(as_text=True)  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(ConstitutionDraft.quorum_minimum).where(
            ConstitutionDraft.group_id == 1)) != int(quorum)


@pytest.mark.parametrize("far_off", ["9999-12-31", "0001-01-01", "2101-01-01", "1899-12-31"])
def test_every_date_field_of_every_form_refuses_a_date_far_off_with_a_message(app, far_off):
    accepted = [f"{form_class.__name__}.{name}" for form_class, name in every_field(app, DateField)
                if not sent(app, form_class, name, far_off).errors]
    assert len(every_field(app, DateField)) > 20 and accepted == []


def test_every_date_field_accepts_a_date_in_range(app):
    refused = [f"{form_class.__name__}.{name}: {field.errors}" for form_class, name in every_field(app, DateField)
               if (field := sent(app, form_class, name, "2026-06-15")).errors]
    assert refused == []


@pytest.mark.parametrize("query", [{"until": "9999-12-31"}, {"since": "0001-01-01"}, {"until": "0001-01-01"}])
def test_the_audit_trail_answers_a_far_off_date_with_a_message_by_the_field(client, coordinator, query):
    response = client.get("/audit", query_string=query)
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2100." in page_text(response) and "There is a problem" in page_text(response)


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "9999-12-31"])
def test_the_api_answers_a_far_off_modified_after_with_a_400_and_a_message(client, moment):
    response = client.get("/api/v1/services", query_string={"modified_after": moment})
    assert response.status_code == 400 and "between 1900 and 2100" in response.get_json()["message"]


def test_the_dates_with_no_session_of_an_activity_refuse_a_day_far_off(app):
    from brokerage.directory.listings.forms import ActivityForm
    field = sent(app, ActivityForm, "exceptions", "25/12/2026, 31/12/9999")
    assert any("between 1900 and 2100" in message for message in field.errors)


def _date_names(app) -> set[str]:
    return {name for _, name in every_field(app, DateField)} | {"modified_after", "exceptions"}


@pytest.mark.parametrize("far_off", ["9999-12-31", "0001-01-01"])
def test_no_route_fails_with_a_far_off_date_in_any_date_parameter(app, client, demo_data, coordinator, far_off):
    """Each date parameter name any form or the API knows, sent to every route."""
    values = {name: far_off for name in _date_names(app)}
    failed = []
    for route in routes(app, {"GET", "POST"}):
        response = client.get(route.url, query_string=values) if "GET" in route.rule.methods \
            else client.post(route.url, data=values)
        if response.status_code >= 500:
            failed.append(f"{route}: {response.status_code}")
    assert failed == []


def test_every_form_class_was_found(app):
    assert len(every_form_class()) > 60
