"""Words for search: a small English stemmer and a synonyms map, so that "walks" and
"walking" find "walk", "singing" finds a choir and "footy" finds football.

Documents are indexed with `indexed_terms`: the stems of their words, plus every synonym key
those stems satisfy (a document with "choir" is indexed under "sing" too). A query becomes
`query_words`: the stem of each word the person typed; a document matches the query when its
indexed terms hold every one. Expanding synonyms when indexing rather than when searching
means each word typed is one exact term to look up.

`weighted_terms` says where in a listing each term was found (WEIGHTS: the title or a category,
the description, the provider's name), so that search can put the best matches first. A
provider's name is searched by its own words only, never their synonyms: "Halifax Arts Café"
runs a choir, and a search for painting must not find it. Pure functions, no database."""

import re
import unicodedata

MAX_QUERY_WORDS = 8
# Where a term was found, best first: a match in the title or a category says what the activity
# is; one in the description may be incidental; one in the provider's name only says who runs it.
TITLE, DESCRIPTION, PROVIDER = 0, 1, 2
STOP_WORDS = frozenset(
    """a an and are at by for from group groups in is it me my near of on or
the to with""".split()
)

# Directional: someone typing the key also wants these (typing "choir" does not mean "karaoke").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sing": ("choir", "singing", "vocal"),
    "song": ("choir", "singing"),
    "vocal": ("choir", "singing"),
    "choir": ("chorus", "singing"),
    "chorus": ("choir",),
    "karaoke": ("singing",),
    "footy": ("football",),
    "soccer": ("football",),
    "footie": ("football",),
    "art": ("arts", "painting", "drawing", "crafts", "pottery"),
    "draw": ("drawing", "painting", "sketching"),
    "sketch": ("drawing", "painting"),
    "paint": ("painting",),
    "craft": ("crafts", "making"),
    "clay": ("pottery", "ceramics"),
    "ceramic": ("pottery", "clay"),
    "knit": ("knitting", "crochet", "textiles"),
    "crochet": ("knitting", "textiles"),
    "sew": ("sewing", "textiles", "quilting"),
    "photo": ("photography",),
    "poem": ("poetry", "writing"),
    "poetry": ("poems", "writing"),
    "write": ("writing", "poetry"),
    "guitar": ("instrument", "music"),
    "ukulele": ("instrument", "music"),
    "uke": ("ukulele", "instrument"),
    "band": ("music", "jam"),
    "drum": ("drumming", "percussion"),
    "act": ("drama", "theatre"),
    "acting": ("drama", "theatre"),
    "theatre": ("drama",),
    "theater": ("theatre", "drama"),
    "movie": ("film", "cinema"),
    "cinema": ("film",),
    "hike": ("walking", "walks", "rambling"),
    "ramble": ("walking", "walks"),
    "stroll": ("walking", "walks"),
    "boulder": ("climbing",),
    "garden": ("gardening", "allotment", "growing"),
    "allotment": ("gardening", "growing"),
    "grow": ("gardening", "growing"),
    "wildlife": ("nature",),
    "bird": ("nature", "wildlife"),
    "angling": ("fishing",),
    "fish": ("fishing", "angling"),
    "jog": ("running", "jogging"),
    "run": ("running", "jogging", "parkrun"),
    "bike": ("cycling",),
    "cycle": ("cycling", "bike"),
    "exercise": ("fitness", "gym", "movement"),
    "fitness": ("gym", "exercise"),
    "gym": ("fitness",),
    "meditate": ("mindfulness", "meditation", "relaxation"),
    "meditation": ("mindfulness", "relaxation"),
    "relax": ("relaxation", "mindfulness"),
    "swim": ("swimming",),
    "pingpong": ("table", "tennis"),
    "chat": ("cafe", "social", "talking"),
    "coffee": ("cafe",),
    "tea": ("cafe",),
    "friend": ("social", "peer"),
    "chess": ("games",),
    "quiz": ("games", "quizzes"),
    "book": ("reading", "books"),
    "read": ("reading", "books"),
    "cook": ("cooking", "food", "baking"),
    "bake": ("baking", "cooking"),
    "food": ("cooking",),
    "history": ("heritage",),
    "computer": ("digital", "internet"),
    "internet": ("digital", "computers"),
    "phone": ("digital",),
    "tablet": ("digital",),
    "english": ("languages", "conversation"),
    "volunteer": ("volunteering",),
}


def fold_accents(text: str) -> str:
    """'Café' -> 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold_accents(text or ""))


def _has_vowel(text: str) -> bool:
    return re.search(r"[aeiouy]", text) is not None


def _strip_verb_ending(word: str) -> str:
    for ending in ("ing", "ed", "er"):
        stem = word[: -len(ending)]
        minimum = 4 if ending == "er" else 3
        if word.endswith(ending) and len(stem) >= minimum and _has_vowel(stem):
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]  # running -> runn -> run
            return stem
    return word


def stem(word: str) -> str:
    """A crude but consistent English stem: walks, walking, walked, walker -> walk;
    activities -> activity; dances, dancing -> danc. Short words are left alone."""
    word = fold_accents(word)
    if len(word) <= 3:
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") or word.endswith("ied"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    word = _strip_verb_ending(word)
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def document_terms(text: str) -> set[str]:
    """The stems of every word of a document (title, description, categories, provider)."""
    return {stem(word) for word in words(text)}


def _stemmed_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for key, values in SYNONYMS.items():
        table.setdefault(stem(key), set()).update(stem(value) for value in values)
    return {key: frozenset(values) for key, values in table.items()}


STEMMED_SYNONYMS = _stemmed_synonyms()


def indexed_terms(text: str) -> set[str]:
    """What a document is found by: its stems, and each synonym key one of them satisfies."""
    stems = document_terms(text)
    return stems | {key for key, values in STEMMED_SYNONYMS.items() if values & stems}


def weighted_terms(*, title: str, description: str, provider: str) -> dict[str, int]:
    """Each term a listing is found by, with the best place it was found (TITLE, DESCRIPTION or
    PROVIDER); `title` holds the category names too. The provider's name gives its stems only."""
    found = dict.fromkeys(document_terms(provider), PROVIDER)
    found.update(dict.fromkeys(indexed_terms(description), DESCRIPTION))
    found.update(dict.fromkeys(indexed_terms(title), TITLE))
    return found


def query_words(text: str) -> list[str]:
    """The stem of each meaningful word typed (at most MAX_QUERY_WORDS); stop words are dropped."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS][:MAX_QUERY_WORDS]


def matches(query: list[str], indexed: set[str]) -> bool:
    """True when the document's indexed terms hold every query word."""
    return all(word in indexed for word in query)
