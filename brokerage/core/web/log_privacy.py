"""Access logs hold neither a secret nor where a person searched from (security.md row 22).

The web server's access log (gunicorn's, or Werkzeug's in development) writes every request line
with the client's IP address. So, in every URL a log line holds (the request line, the path, the
Referer and any other header):
- a route whose arguments include a token (`/set-password/<token>`, `/wellbeing/<token>`,
  `/shortlist/<token>`, and any added later: found in the URL map, not listed here) loses the token;
- a route that searches near a place (a view marked `@unlogged_query`), or any request whose query
  has a postcode parameter or value, loses its query string.
Paths are matched as the app routes them: percent-decoded, so `/%61ctivities` is `/activities`.
"""

import logging
import posixpath
import re
from urllib.parse import parse_qsl, unquote

from flask import Flask

from ..values.postcodes import contains_postcode

REDACTED = "[redacted]"
TOKEN_ARGUMENT = re.compile(r"(?:^|_)(?:token|secret)$")
_ARGUMENT = re.compile(r"<(?:[^>]*:)?(\w+)>")
_NOT_IN_URL = r"\s\"\x00-\x1f\x7f"  # what ends a URL in a log line
_URL = re.compile(
    rf"(?:^|(?<=[\s\"'(<=,;]))(?P<origin>[A-Za-z][A-Za-z0-9+.-]*://[^{_NOT_IN_URL}/?]*)?"
    rf"(?P<path>/[^{_NOT_IN_URL}?]*)(?P<query>\?[^{_NOT_IN_URL}]*)?"
)
_QUERY_ATOMS = ("q", "{query_string}e")
_PATH_ATOMS = ("U", "{path_info}e")


def unlogged_query(view):
    """Mark a view whose query string can say where someone is (a postcode): logs drop it."""
    view.unlogged_query = True
    return view


def is_token_argument(name: str) -> bool:
    return bool(TOKEN_ARGUMENT.search(name))


def _decoded(text: str) -> str:
    """Percent-decoded however many times it was encoded (the server decodes once; a proxy may too)."""
    for _ in range(5):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _routed_path(path: str) -> str:
    """The path as the app routes it: decoded, with repeated slashes, dot segments and a trailing
    slash resolved (redirects and 404s are logged too)."""
    return posixpath.normpath("/" + _decoded(path).lstrip("/"))


def _token_pattern(rule: str) -> re.Pattern | None:
    """The paths of a URL rule from its first token argument on (and anything after it), with
    the part before the token as the group `kept`; None if the rule takes no token."""
    pattern, position = "", 0
    for argument in _ARGUMENT.finditer(rule):
        pattern += re.escape(rule[position : argument.start()])
        if is_token_argument(argument[1]):
            return re.compile(f"(?P<kept>{pattern})[^/]+(?:/.*)?")
        pattern += ".+" if argument[0].startswith("<path:") else "[^/]+"
        position = argument.end()
    return None


def _rule_regex(rule: str) -> re.Pattern:
    """The (routed) paths a URL rule matches."""
    pattern, position = "", 0
    for argument in _ARGUMENT.finditer(rule):
        pattern += re.escape(rule[position : argument.start()])
        pattern += ".+" if argument[0].startswith("<path:") else "[^/]+"
        position = argument.end()
    return re.compile(pattern + re.escape(rule[position:].rstrip("/")))


class AccessLogRedactor:
    """Which logged URLs to shorten, read from the app's URL map (again whenever it grows)."""

    def __init__(self, app: Flask):
        self.app = app
        self._built_for = -1
        self._tokens: list[re.Pattern] = []
        self._static: set[str] = set()
        self._private_queries: list[re.Pattern] = []

    def _refresh(self) -> None:
        rules = list(self.app.url_map.iter_rules())
        if len(rules) == self._built_for:
            return
        tokens, static, private = [], set(), []
        for rule in rules:
            if not rule.arguments:
                static.add(_routed_path(rule.rule))
            if (found := _token_pattern(rule.rule)) is not None:
                tokens.append(found)
            if getattr(self.app.view_functions.get(rule.endpoint), "unlogged_query", False):
                private.append(_rule_regex(rule.rule))
        self._tokens, self._static, self._private_queries, self._built_for = tokens, static, private, len(rules)

    def token_path(self, path: str) -> str | None:
        """The path to log instead of this one if it carries a token, else None."""
        self._refresh()
        routed = _routed_path(path)
        if routed in self._static:
            return None
        match = next((found for pattern in self._tokens if (found := pattern.fullmatch(routed))), None)
        return match["kept"] + REDACTED if match else None

    def query_is_private(self, path: str, query: str) -> bool:
        self._refresh()
        routed = _routed_path(path)
        if any(pattern.fullmatch(routed) for pattern in self._private_queries):
            return True
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
        return any("postcode" in _decoded(key).lower() or contains_postcode(_decoded(value)) for key, value in pairs)

    def redact(self, text: str) -> str:
        """Shorten every URL in a line of log text."""
        return _URL.sub(self._redact_url, text) if "/" in text else text

    def _redact_url(self, match: re.Match) -> str:
        origin, path, query = match["origin"] or "", match["path"], match["query"] or ""
        token_path = self.token_path(path)
        if token_path is not None:
            return origin + token_path + ("?" + REDACTED if query else "")
        if query and self.query_is_private(path, query):
            query = "?" + REDACTED
        return origin + path + query

    def redact_atoms(self, atoms: dict) -> None:
        """gunicorn's access-log atoms, changed in place: the query string atoms say nothing
        of their path, so the path atoms decide for them."""
        path = next((atoms[name] for name in _PATH_ATOMS if isinstance(atoms.get(name), str)), "")
        query = next((atoms[name] for name in _QUERY_ATOMS if isinstance(atoms.get(name), str)), "")
        if query and (self.token_path(path) is not None or self.query_is_private(path, query)):
            for name in _QUERY_ATOMS:
                if name in atoms:
                    atoms[name] = REDACTED
        for name, value in list(atoms.items()):
            if isinstance(value, str):
                atoms[name] = self.redact(value)
            elif value is not None and not isinstance(value, (int, float)):
                atoms[name] = self.redact(str(value))  # an object in the environ prints its URL


class RedactAccessLog(logging.Filter):
    def __init__(self, redactor: AccessLogRedactor):
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):  # gunicorn's access log atoms, named in its format
            self.redactor.redact_atoms(record.args)
            return True
        # Redact the finished line, not the template: a URL in the template runs on into its
        # `%s` placeholders, and shortening it would drop them.
        record.msg, record.args = self.redactor.redact(record.getMessage()), None
        return True


ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def install_log_redaction(app: Flask) -> None:
    """Attach the filter to the access loggers of Werkzeug (development) and gunicorn; the last
    app created is the one whose routes they are read from (one app per process when serving)."""
    redactor = AccessLogRedactor(app)
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        existing = next((found for found in logger.filters if isinstance(found, RedactAccessLog)), None)
        if existing is None:
            logger.addFilter(RedactAccessLog(redactor))
        else:
            existing.redactor = redactor
