"""What typed text may hold: the characters every form removes, changes or refuses.

NUL and the other control characters cannot be stored by PostgreSQL (NUL) or break the CSV,
JSON and iCalendar outputs, and nobody means to type one, so a field holding one is refused
with a message. Bidirectional controls (U+202A-U+202E, U+2066-U+2069) can make text read
backwards in another program (a calendar, the API's consumers), so they are removed. A
single-line field has no line breaks: the browser's text box cannot send one, so one that
arrives is turned into a space; a multi-line field keeps them, as plain new lines.
"""

import re

UNSAVEABLE_MESSAGE = "This contains a character that cannot be saved (shown as \ufffd). Remove it and try again."
REPLACEMENT = "\ufffd"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x85\u2028\u2029]")
SPACING = re.compile("(?:\r\n|[\t\n\r\v\f\x85\u2028\u2029])+")
# Control characters (Unicode category Cc) other than the tab and the line breaks above.
UNSAVEABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def has_unsaveable(text: str) -> bool:
    return UNSAVEABLE.search(text) is not None


def shown_safely(text: str) -> str:
    """The text with each unsaveable character replaced by U+FFFD, so the page that asks the
    person to remove it can show where it was (and is itself valid HTML)."""
    return UNSAVEABLE.sub(REPLACEMENT, text)


def single_line(text: str) -> str:
    """No bidirectional controls; line breaks and tabs become one space."""
    cleaned = SPACING.sub(" ", BIDI_CONTROLS.sub("", text))
    return cleaned.strip() if cleaned != text else cleaned


def multi_line(text: str) -> str:
    """No bidirectional controls; every kind of line break becomes a new line, a tab a space."""
    return LINE_BREAK.sub("\n", BIDI_CONTROLS.sub("", text)).replace("\t", " ")
