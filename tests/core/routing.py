"""Helpers for the route-convention tests: every rule of `app.url_map`, with sample URLs."""
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from brokerage.core.web.access import AccessRule, access_rule_for
from brokerage.extensions import db

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Values for each URL converter: ids that exist once the demo data is loaded (1), or plain text.
SAMPLE_VALUES = {"int": 1, "float": 1.0, "string": "x", "default": "x", "path": "x",
                 "uuid": "00000000-0000-4000-8000-000000000001", "any": None}


@dataclass(frozen=True)
class Route:
    rule: Rule
    url: str
    access: AccessRule

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def __str__(self) -> str:
        return f"{self.rule.rule} ({self.rule.endpoint})"


def _sample(rule: Rule, name: str):
    converter = rule._converters[name]
    kind = next((key for key, cls in rule.map.converters.items() if type(converter) is cls), "default")
    if kind == "any":
        return sorted(converter.items)[0]
    return SAMPLE_VALUES.get(kind, "x")


def sample_url(rule: Rule, **given) -> str:
    """The rule's URL with sample values, or the `given` ones for the arguments they name."""
    values = {name: given[name] if name in given else _sample(rule, name) for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def routes(app: Flask, methods: set[str]) -> list[Route]:
    """Every rule that answers one of `methods`, except static files, with a sample URL."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not (rule.methods or set()) & methods:
            continue
        found.append(Route(rule, sample_url(rule), access_rule_for(app, rule.endpoint)))
    return sorted(found, key=lambda route: route.rule.rule)


def row_counts() -> dict[str, int]:
    """Rows in every table of the metadata (call inside an app context)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}
