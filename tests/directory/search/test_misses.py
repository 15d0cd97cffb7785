"""Searches that found nothing, counted anonymously: the key's rules, the one upsert the search
page makes (only for a miss near a district of the footprint, never for a search with results),
what is never stored, simultaneous misses on PostgreSQL, and the purge after 12 months."""
import threading
from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import select

from brokerage.directory.models import DirectoryVersion
from brokerage.directory.search.misses import services as misses
from brokerage.directory.search.misses.models import SearchMiss
from brokerage.directory.search.misses.rules import (OTHER_WORDS, days_key, kept_since, miss_words, month_of,
                                              times_key)
from brokerage.extensions import db

VOCABULARY = misses.vocabulary()


@pytest.mark.parametrize("typed, counted_as", [
    ("climbing", "climbing"), ("Climb!", "climbing"), ("climbing near", "climbing"),
    ("walking football", "walking football"), ("singing", "singing"), ("", ""), ("  the  ", ""),
    ("climbing with John", OTHER_WORDS), ("depression", OTHER_WORDS), ("HD3 4AB", OTHER_WORDS),
    ("art music dance yoga", OTHER_WORDS),  # more than three words: never a phrase someone could be known by
])
def test_only_known_vocabulary_words_are_kept(typed, counted_as):
    assert miss_words(typed, VOCABULARY) == counted_as


def test_the_key_keeps_months_and_filters_in_one_spelling():
    assert month_of(date(2026, 6, 15)) == date(2026, 6, 1)
    assert days_key((6, 5, 5, 9)) == "5,6" and days_key(()) == ""
    assert times_key(("evening", "morning")) == "morning,evening" and times_key(()) == ""
    assert kept_since(date(2026, 6, 15)) == date(2025, 7, 1)
    assert kept_since(date(2026, 1, 31)) == date(2025, 2, 1)


def _rows():
    return [(row.month, row.district, row.category, row.days, row.times, row.words, row.searches)
            for row in db.session.scalars(select(SearchMiss).order_by(SearchMiss.id))]


def test_a_search_near_a_district_that_found_nothing_is_counted_and_nothing_else_is(app, client, listed):
    with app.app_context():
        version = db.session.get(DirectoryVersion, 1).number
    assert client.get("/activities?q=climbing&postcode=hd3+4ab&day=5&day=6&time=evening").status_code == 200
    assert client.get("/activities?q=Climbing&postcode=HD3&day=6&day=5&time=evening").status_code == 200
    client.get("/activities?q=climbing+with+Jo+Bloggs&postcode=HD3&category=climbing")
    client.get("/activities?q=football&postcode=S70")  # found the walking football: not counted
    client.get("/activities?q=climbing")  # no postcode: not counted
    client.get("/activities?q=climbing&postcode=LS1")  # outside the footprint: not counted
    with app.app_context():
        assert _rows() == [(date(2026, 6, 1), "HD3", "", "5,6", "evening", "climbing", 2),
                           (date(2026, 6, 1), "HD3", "climbing", "", "", OTHER_WORDS, 1)]
        stored = " ".join(str(value) for row in _rows() for value in row).lower()
        assert "4ab" not in stored and "bloggs" not in stored and "jo" not in stored.split()
        assert db.session.get(DirectoryVersion, 1).number == version  # kept pages stay valid


def test_a_search_with_results_makes_no_extra_statement(client, listed, monkeypatch):
    called = []
    monkeypatch.setattr(misses, "miss_key", lambda *args: called.append(args))
    monkeypatch.setattr(misses, "record_search_miss", lambda key: called.append(key))
    assert "Walking football" in client.get("/activities?q=football&postcode=S70").get_data(as_text=True)
    assert called == []


def test_simultaneous_misses_each_count(app, directory):
    """On PostgreSQL the second upsert waits for the first's row and adds to it (ON CONFLICT DO
    UPDATE): two transactions at once, both open before either commits, count 2."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    statement = misses._upsert("postgresql")
    key = misses.MissKey(date(2026, 6, 1), "HD3", "", "", "", "climbing")
    first, second = db.engine.connect(), db.engine.connect()
    first.begin()
    first.execute(statement, asdict(key))
    waiting = threading.Thread(target=lambda: (second.begin(), second.execute(statement, asdict(key)),
                                               second.commit()))
    waiting.start()
    waiting.join(timeout=0.5)
    assert waiting.is_alive()  # blocked on the first's row
    first.commit()
    waiting.join(timeout=10)
    first.close(), second.close()
    assert db.session.scalar(select(SearchMiss.searches)) == 2


def test_counts_are_deleted_after_twelve_months(app, directory, now):
    for month in (date(2025, 6, 1), date(2025, 7, 1), date(2026, 6, 1)):
        db.session.add(SearchMiss(month=month, district="WF9", category="", days="", times="", words="", searches=3))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["directory", "purge-search-misses"])
    assert "Counts of searches that found nothing deleted: 1." in result.output
    assert sorted(db.session.scalars(select(SearchMiss.month))) == [date(2025, 7, 1), date(2026, 6, 1)]
