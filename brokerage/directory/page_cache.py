"""Rendered public directory pages (search results, activity pages), kept in each worker's
memory and correct across workers and hosts.

A page is a function of its URL, the directory's data and the time. The data is summed up by
`directory_version.number`, a counter in the shared database that every change to the
tables its pages show (`watch_tables`) increments in the same transaction (flush and
bulk-statement hooks here, whichever service or command made it), and the time is the
current minute (`page_moment`, which the pages compute with whether cached or not). A request
reads the counter first, in the transaction its page would be read in, and the key (counter,
URL, minute) either finds the page or renders and keeps it: any change anywhere makes every
worker's older pages unreachable, and they age out of a bounded LRU.

Only anonymous GET requests with no message waiting are served from the cache, and a page
showing a form filled again with what a visitor typed (core/input/kept_forms.py) is never kept.
Pages carry a CSRF token tied to the visitor's session, so the kept copy holds a marker where
the token was and each visitor gets their own token in its place."""

from collections import OrderedDict
from datetime import datetime
from functools import wraps
from threading import Lock

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.orm import Session

from ..core.input.kept_forms import filled_from_kept
from ..core.values.timeutils import utcnow
from ..extensions import db
from .models import DirectoryVersion

MAX_PAGES = 512
MAX_KEPT_VALUES = 4096
VERSION = select(func.coalesce(func.max(DirectoryVersion.number), 0))
TOKEN_MARK = "\x00csrf-token\x00"
_WATCHED_TABLES: set[str] = set()


def watch_tables(*names: str) -> None:
    """Count changes to these tables: each feature declares the tables of its own that the kept
    pages show (`PAGE_CACHE_TABLES` next to its models, registered when the app is built by
    directory.watch_page_cache_tables), and panels on the activity page name the tables they
    read (search/panels.py)."""
    _WATCHED_TABLES.update(names)


def watched_tables() -> frozenset[str]:
    """The tables whose changes make every kept page stale."""
    return frozenset(_WATCHED_TABLES)


def page_moment() -> datetime:
    """The time a public directory page is computed for: the start of the current minute."""
    return utcnow().replace(second=0, microsecond=0)


def _bump(connection) -> None:
    if connection.execute(update(DirectoryVersion).values(number=DirectoryVersion.number + 1)).rowcount == 0:
        connection.execute(insert(DirectoryVersion).values(id=1, number=1))


@event.listens_for(Session, "after_flush")
def _count_flushed_changes(session: Session, context) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(target, "__tablename__", None) in _WATCHED_TABLES for target in changed):
        _bump(session.connection())


@event.listens_for(Session, "do_orm_execute")
def _count_bulk_changes(state) -> None:
    """Bulk INSERT/UPDATE/DELETE run through the session (occurrences, synthetic data)."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _WATCHED_TABLES:
            _bump(state.session.connection())


def _version() -> int:
    """Read on the session's connection, so that a page rendered after it reads the same data."""
    return db.session.connection().execute(VERSION).scalar_one()


def _store(kind: str) -> tuple[OrderedDict, Lock]:
    """This app's kept things of one kind (one store per app, so that test apps never share one)."""
    return current_app.extensions.setdefault(f"directory_{kind}", (OrderedDict(), Lock()))


def _put(kind: str, key: tuple, value, limit: int) -> None:
    kept, lock = _store(kind)
    with lock:
        kept[key] = value
        while len(kept) > limit:
            kept.popitem(last=False)


def _get(kind: str, key: tuple):
    """The kept value, or None; the least recently used go first when the store is full."""
    kept, lock = _store(kind)
    with lock:
        value = kept.get(key)
        if value is not None:
            kept.move_to_end(key)
    return value


def _cacheable() -> bool:
    return request.method == "GET" and not current_user.is_authenticated and not session.get("_flashes")


def _keep(key: tuple, body: str) -> None:
    token = g.get(current_app.config["WTF_CSRF_FIELD_NAME"])  # set when the page asked for one
    _put("pages", key, body.replace(token, TOKEN_MARK) if token else body, MAX_PAGES)


def kept_for_this_version(kind: str, key, compute):
    """A value computed from the watched tables alone (a postcode's place, say), kept in this
    worker beside the pages under the version this request read, so never stale: any change
    makes it unreachable, as it does the pages. Computed afresh, and not kept, when the request
    read no version (a signed-in person's pages are not kept either). An answer of None (an
    unknown place) is computed afresh each time."""
    version = g.get("directory_version")
    if version is None:
        return compute()
    found = _get(kind, (version, key))
    if found is None:
        found = compute()
        if found is not None:
            _put(kind, (version, key), found, MAX_KEPT_VALUES)
    return found


def cached_page(view):
    """Serve an anonymous visitor's page from the cache when it holds it; keep it otherwise.
    Only 200 HTML responses are kept."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not _cacheable():
            return view(*args, **kwargs)
        key = (_version(), request.full_path, page_moment())
        body = _get("pages", key)
        if body is not None:
            if TOKEN_MARK in body:
                body = body.replace(TOKEN_MARK, generate_csrf())
            return current_app.response_class(body, mimetype="text/html")
        g.directory_version = key[0]  # for kept_for_this_version, while this view runs
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            del g.directory_version
        if response.status_code == 200 and response.mimetype == "text/html" and not filled_from_kept():
            _keep(key, response.get_data(as_text=True))
        return response

    return wrapper
