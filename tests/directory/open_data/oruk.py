"""Validate API responses against the Open Referral UK 3.0 description in
../shared/standards/oruk-3.0 (openapi.json and its schemata), resolving its $refs locally."""
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import skip_or_fail

STANDARD = Path(__file__).resolve().parents[3].parent / "shared" / "standards" / "oruk-3.0"
OPENAPI_URI = "https://oruk.test/openapi.json"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
# The openapi names compiled "list" schemata that are not shipped: a list item is a record
# with only its one-to-one fields, so it must still satisfy the record's schema.
ALIASES = {"compiled/service_list.json": "service.json",
           "compiled/service_at_location_list.json": "service_at_location.json"}


def _resource(contents: dict) -> Resource:
    return Resource.from_contents(contents, default_specification=DRAFT202012)


@cache
def _registry() -> Registry:
    if not (STANDARD / "openapi.json").is_file():
        return None
    resources = [(OPENAPI_URI, _resource(json.loads((STANDARD / "openapi.json").read_text())))]
    for path in sorted((STANDARD / "schemata").glob("*.json")):
        contents = _resource(json.loads(path.read_text()))
        resources += [(SCHEMA_BASE + path.name, contents), (SCHEMA_BASE + "compiled/" + path.name, contents)]
    for alias, name in ALIASES.items():
        resources.append((SCHEMA_BASE + alias, _resource(json.loads((STANDARD / "schemata" / name).read_text()))))
    return Registry().with_resources(resources)


def _pointer(path: str) -> str:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"{OPENAPI_URI}#/paths/{escaped}/get/responses/200/content/application~1json/schema"


def errors_for(openapi_path: str, document) -> list[str]:
    """Every way `document` breaks the 200 response schema of `openapi_path` (e.g. '/services/{id}')."""
    registry = _registry()
    if registry is None:
        skip_or_fail("standards", f"the Open Referral UK standard is not at {STANDARD}")
    validator = Draft202012Validator({"$ref": _pointer(openapi_path)}, registry=registry,
                                     format_checker=FormatChecker())
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def assert_valid(openapi_path: str, document) -> None:
    found = errors_for(openapi_path, document)
    assert not found, "\n".join(found)
