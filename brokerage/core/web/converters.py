"""URL converters: `<int:...>` stops at the largest id the database can hold (PostgreSQL's integer),
so a longer number in a URL is a plain 404 rather than a database error."""

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Call before the blueprints are registered: rules bind their converters when added."""
    app.url_map.converters["int"] = DatabaseIdConverter
