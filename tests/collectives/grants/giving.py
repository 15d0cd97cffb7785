"""Validate documents against the 360Giving Data Standard in ../shared/standards/360giving
(the package schema, with its $ref to the grant schema resolved locally)."""
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import skip_or_fail

STANDARD = Path(__file__).resolve().parents[3].parent / "shared" / "standards" / "360giving"
SCHEMA_BASE = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/{version}/schema/"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")


def _formats() -> FormatChecker:
    """Formats checked for real. The schema says a date is `{"format": "date-time"}` or a
    YYYY-MM-DD pattern, exactly one of them: without a real date-time check (jsonschema
    needs the optional rfc3339-validator for it) every plain date would match both."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        return bool(RFC3339.match(value)) and datetime.fromisoformat(value.upper().replace("Z", "+00:00")) is not None
    return checker


def _load(name: str) -> dict:
    return json.loads((STANDARD / name).read_text(encoding="utf-8"))


@cache
def _validator() -> Draft202012Validator | None:
    if not (STANDARD / "360-giving-package-schema.json").is_file():
        return None
    grant = Resource.from_contents(_load("360-giving-schema.json"), default_specification=DRAFT202012)
    # The package names the grant schema by an older release's address than the grant schema's own $id.
    registry = Registry().with_resources(
        [(SCHEMA_BASE.format(version=version) + "360-giving-schema.json", grant) for version in ("1.4.2", "1.4.3")])
    return Draft202012Validator(_load("360-giving-package-schema.json"), registry=registry,
                                format_checker=_formats())


def package_errors(document) -> list[str]:
    """Every way `document` breaks the 360Giving package schema."""
    validator = _validator()
    if validator is None:
        skip_or_fail("standards", f"the 360Giving standard is not at {STANDARD}")
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]
