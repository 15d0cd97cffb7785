"""A service user's postcode is never logged with their IP address: request lines written
by the web server's access log have the query string of directory searches removed. Shared
shortlist links are bearer tokens, so their token is removed too."""
import logging
import re

_SEARCH_QUERY = re.compile(r"(/activities[^\s?]*)\?\S*")
_SHORTLIST_TOKEN = re.compile(r"/shortlist/(?!(?:add|remove|note)(?![^\s?/]))[^\s?/]+")


def redact(text: str) -> str:
    """'GET /activities?q=art&postcode=HD1 HTTP/1.1' -> 'GET /activities?[redacted] HTTP/1.1'."""
    return _SHORTLIST_TOKEN.sub("/shortlist/[redacted]", _SEARCH_QUERY.sub(r"\1?[redacted]", text))


class RedactSearchQueries(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):  # gunicorn's access log atoms, changed in place
            _redact_atoms(record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def _redact_atoms(atoms: dict) -> None:
    if str(atoms.get("U", "")).startswith("/activities"):
        atoms["q"] = "[redacted]"
    for key, value in list(atoms.items()):
        if isinstance(value, str):
            atoms[key] = redact(value)


def install_log_redaction() -> None:
    """Attach the filter to the access loggers of werkzeug (development) and gunicorn."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactSearchQueries) for existing in logger.filters):
            logger.addFilter(RedactSearchQueries())
