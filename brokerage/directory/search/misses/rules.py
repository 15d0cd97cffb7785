"""What a search that found nothing is counted under (search/misses/models.py SearchMiss): pure
functions, no database, no clock.

People type names, places and health details into a search box, so the words are never kept:
a search is counted under its words only when every one is a known vocabulary word (a word of a
category's name or a synonym the search already knows, like "climbing"); any other word makes it
"other words". Only the district of a postcode is kept."""

from collections.abc import Iterable, Mapping
from datetime import date

from ...listings.vocabulary import PARTS_OF_DAY
from ..terms import STOP_WORDS, stem, words

NO_WORDS = ""
OTHER_WORDS = "*"  # some word typed was not a known one: counted, never kept
MAX_KNOWN_WORDS = 3
WORDS_MAX_LENGTH = 80


def build_vocabulary(texts: Iterable[str]) -> dict[str, str]:
    """Stem -> the word shown for it, from the vocabulary's texts (category names, synonyms);
    the first text that gives a stem names it ("Climbing" before "climb")."""
    found: dict[str, str] = {}
    for text in texts:
        for word in words(text):
            if word not in STOP_WORDS:
                found.setdefault(stem(word), word)
    return found


def miss_words(text: str, vocabulary: Mapping[str, str]) -> str:
    """The words a search is counted under: NO_WORDS when none was typed; the known words, in
    the vocabulary's spelling, when every word typed is known (at most MAX_KNOWN_WORDS);
    OTHER_WORDS otherwise."""
    typed = [word for word in words(text) if word not in STOP_WORDS]
    if not typed:
        return NO_WORDS
    known = [vocabulary.get(stem(word)) for word in typed]
    if len(known) > MAX_KNOWN_WORDS or any(word is None for word in known):
        return OTHER_WORDS
    joined = " ".join(dict.fromkeys(word for word in known if word))
    return joined if len(joined) <= WORDS_MAX_LENGTH else OTHER_WORDS


def month_of(day: date) -> date:
    """Counts are kept by month: the first day of `day`'s month."""
    return day.replace(day=1)


def days_key(days: Iterable[int]) -> str:
    """The weekdays searched (0 = Monday), in order: (6, 5) -> "5,6"; "" for any day."""
    return ",".join(str(day) for day in sorted({day for day in days if 0 <= day <= 6}))


def times_key(times: Iterable[str]) -> str:
    """The parts of the day searched, in the day's order: "" for any time."""
    chosen = set(times)
    return ",".join(part for part in PARTS_OF_DAY if part in chosen)


def kept_since(today: date) -> date:
    """Counts are kept for 12 months: the first month still kept on `today` (this month and
    the 11 before it)."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1)
