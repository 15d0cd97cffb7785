"""A statement handed to the driver as compiled (core/data/driver_statements.py) gives exactly
the rows SQLAlchemy's own execution gives: dates and times converted both ways, booleans read
back as booleans, the statement's own constants (limits) in place, each value in its place."""
from datetime import date, datetime, timezone

from sqlalchemy import Boolean, Date, Float, Integer, String, bindparam, func, literal, select, true

from brokerage.core.data.driver_statements import DriverStatement
from brokerage.core.data.types import UTCDateTime
from brokerage.extensions import db


def _statement():
    moment = bindparam("moment", type_=UTCDateTime, required=True)
    day = bindparam("day", type_=Date, required=True)
    number = bindparam("number", type_=Integer, required=True)
    return select(
        moment.label("moment"),
        (func.coalesce(day, literal(date(2000, 1, 1), Date))).label("day"),
        (number + literal(1)).label("next"),
        (number * 2).label("double"),  # the same value again, after a constant
        bindparam("words", type_=String, required=True).label("words"),
        bindparam("miles", type_=Float, required=True).label("miles"),
        true().label("yes"),
        (number > 3).label("big"),
    ).limit(5)


VALUES = {"moment": datetime(2026, 12, 6, 4, 30, tzinfo=timezone.utc), "day": date(2026, 4, 6), "number": 7,
          "words": "it's 100% art", "miles": 2.5}


def test_the_rows_are_those_sqlalchemy_gives(app):
    statement = _statement()
    with app.app_context():
        connection = db.session.connection()
        expected = [tuple(row) for row in connection.execute(statement, VALUES)]
        driven = DriverStatement(statement)
        assert [tuple(row) for row in driven.rows(connection, VALUES)] == expected
        assert [tuple(row) for row in driven.rows(connection, VALUES)] == expected  # compiled once, run again
        row = driven.rows(connection, {**VALUES, "number": 2})[0]
    assert row.moment == VALUES["moment"] and row.moment.tzinfo is not None
    assert row.day == date(2026, 4, 6) and row.next == 3 and row.double == 4
    assert row.words == "it's 100% art" and row.miles == 2.5
    assert row.yes is True and row.big is False


def test_a_missing_value_is_an_error_not_a_silent_null(app):
    with app.app_context():
        connection = db.session.connection()
        try:
            DriverStatement(_statement()).rows(connection, {key: value for key, value in VALUES.items() if key != "day"})
        except KeyError as error:
            assert "day" in str(error)
        else:
            raise AssertionError("a missing value was sent as nothing")
