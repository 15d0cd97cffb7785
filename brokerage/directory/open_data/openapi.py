"""This API's own OpenAPI 3.0 description (served at /api/v1/openapi.json, which the meta
endpoint's `openapi_url` names): the Open Referral UK 3.0 paths it answers, the parameters it
honours, and its 400, 404 and 405 answers. Records are described by the profile's own compiled
schemas, so the description cannot drift from what the validators check. Pure data."""

SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


def _parameter(name: str, description: str, schema: dict, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


PARAMETERS = {
    "search": _parameter("search", "Words to find (stems and synonyms), up to 200 characters.", {"type": "string"}),
    "page": _parameter("page", "Page number, from 1.", {"type": "integer", "minimum": 1}),
    "per_page": _parameter(
        "per_page", "Results a page, 1 to 100 (20 by default).", {"type": "integer", "minimum": 1, "maximum": 100}
    ),
    "taxonomy_term_id": _parameter(
        "taxonomy_term_id", "Services with this term or one below it.", {"type": "string", "format": "uuid"}
    ),
    "taxonomy_id": _parameter(
        "taxonomy_id", "Services with any term of this taxonomy.", {"type": "string", "format": "uuid"}
    ),
    "minimum_age": _parameter("minimum_age", "Services whose minimum age is at least this.", {"type": "number"}),
    "maximum_age": _parameter("maximum_age", "Services whose maximum age is at most this.", {"type": "number"}),
    "start_time": _parameter(
        "start_time", "Sessions starting at or after this local time (HH:MM).", {"type": "string"}
    ),
    "end_time": _parameter("end_time", "Sessions ending at or before this local time (HH:MM).", {"type": "string"}),
    "day": _parameter("day", "Services meeting on this day (MO to SU, or the day's name).", {"type": "string"}),
    "modified_after": _parameter(
        "modified_after",
        "Services changed on or after this moment (ISO 8601).",
        {"type": "string", "format": "date-time"},
    ),
    "postcode": _parameter(
        "postcode",
        "Nearest first from this postcode or postcode district. A well-formed "
        "postcode outside the area served answers an empty page.",
        {"type": "string"},
    ),
    "proximity": _parameter(
        "proximity",
        "Only within this many metres of the postcode (100 to 80467).",
        {"type": "integer", "minimum": 100, "maximum": 80467},
    ),
    "id": _parameter("id", "The record's id.", {"type": "string", "format": "uuid"}, where="path"),
}
LIST_PARAMETERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "start_time",
    "end_time",
    "day",
    "modified_after",
]
ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _refs(names: list[str]) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _page_of(schema: str) -> dict:
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Page"},
            {"type": "object", "properties": {"contents": {"type": "array", "items": {"$ref": SCHEMAS + schema}}}},
        ]
    }


def _get(summary: str, ok: dict, parameters: list[str], *, single: bool = False) -> dict:
    responses = {"200": ok, "405": {"$ref": "#/components/responses/NotAllowed"}}
    responses["404" if single else "400"] = {
        "$ref": "#/components/responses/" + ("NotFound" if single else "BadRequest")
    }
    return {"get": {"summary": summary, "parameters": _refs(parameters), "responses": responses}}


PATHS = {
    "/": {
        "get": {
            "summary": "What this API is: its HSDS version, profile and this description.",
            "responses": {
                "200": _json(
                    "About this API.",
                    {
                        "type": "object",
                        "properties": {
                            "version": {"type": "string"},
                            "profile": {"type": "string", "format": "uri"},
                            "openapi_url": {"type": "string", "format": "uri"},
                        },
                    },
                ),
                "405": {"$ref": "#/components/responses/NotAllowed"},
            },
        }
    },
    "/services": _get(
        "Running, recently checked services, oldest listing first.",
        _json("A page of services.", _page_of("compiled/service_list.json")),
        LIST_PARAMETERS,
    ),
    "/services/{id}": _get(
        "One service, fully nested.",
        _json("A service.", {"$ref": SCHEMAS + "compiled/service.json"}),
        ["id"],
        single=True,
    ),
    "/service_at_locations": _get(
        "Services at their venues; nearest first from a postcode.",
        _json("A page of services at locations.", _page_of("compiled/service_at_location_list.json")),
        [*LIST_PARAMETERS, "postcode", "proximity"],
    ),
    "/service_at_locations/{id}": _get(
        "The service offered at this venue, fully nested.",
        _json("A service.", {"$ref": SCHEMAS + "compiled/service.json"}),
        ["id"],
        single=True,
    ),
    "/taxonomies": _get(
        "The taxonomies the categories come from.",
        _json("A page of taxonomies.", {"allOf": [{"$ref": "#/components/schemas/Page"}]}),
        ["page", "per_page"],
    ),
    "/taxonomies/{id}": _get(
        "One taxonomy and its terms.", _json("A taxonomy.", {"$ref": SCHEMAS + "taxonomy.json"}), ["id"], single=True
    ),
    "/taxonomy_terms": _get(
        "Every category.",
        _json("A page of taxonomy terms.", {"allOf": [{"$ref": "#/components/schemas/Page"}]}),
        ["page", "per_page"],
    ),
    "/taxonomy_terms/{id}": _get(
        "One category.", _json("A taxonomy term.", {"$ref": SCHEMAS + "taxonomy_term.json"}), ["id"], single=True
    ),
}
PAGE = {
    "type": "object",
    "properties": {
        name: {"type": kind}
        for name, kind in (
            ("total_items", "integer"),
            ("total_pages", "integer"),
            ("page_number", "integer"),
            ("size", "integer"),
            ("first_page", "boolean"),
            ("last_page", "boolean"),
            ("empty", "boolean"),
        )
    },
}


def openapi_document(server_url: str) -> dict:
    """The description, with `server_url` (this API's root, absolute) as its server."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Creative Minds activity directory: Open Referral UK API",
            "version": "3.0",
            "description": "Read-only, open to every origin, no key. Profile: Open Referral UK 3.0.",
            "license": LICENCE,
        },
        "servers": [{"url": server_url}],
        "paths": PATHS,
        "components": {
            "schemas": {"Page": PAGE, "Error": ERROR},
            "parameters": PARAMETERS,
            "responses": {
                "BadRequest": _json(
                    "A parameter the API cannot honour, and why.", {"$ref": "#/components/schemas/Error"}
                ),
                "NotFound": _json("No such record.", {"$ref": "#/components/schemas/Error"}),
                "NotAllowed": {
                    **_json(
                        "Only GET (and HEAD, OPTIONS): the API is read-only.", {"$ref": "#/components/schemas/Error"}
                    ),
                    "headers": {"Allow": {"schema": {"type": "string"}}},
                },
            },
        },
    }
