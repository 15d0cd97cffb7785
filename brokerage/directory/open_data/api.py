"""The Open Referral UK 3.0 API (read-only JSON, open to every origin, no key) at /api/v1/.

Every route is a GET, so nothing here changes state and nothing needs CSRF exemption. Bad
parameters answer 400 with {"error", "message"}; unknown ids and paths 404, never a page; any
other method 405 in routing, which errors.py answers in the same JSON, with `Allow` and CORS.
`openapi_url` names this API's own description (openapi.py)."""

from flask import Blueprint, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import public
from ...core.web.log_privacy import unlogged_query
from ...extensions import db
from ...partners.marks.models import MarkApplication
from ...partners.marks.pages import current_mark, marked_partner_ids
from ..listings.models import ServiceAtLocation
from ..models import Taxonomy, TaxonomyTerm
from . import serialisers
from .openapi import openapi_document
from .queries import ApiError, get_visible_activity, list_places, list_services, parse_query

bp = Blueprint("directory_api", __name__, url_prefix="/api/v1")
HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"


def _error(status: int, error: str, message: str):
    response = jsonify(error=error, message=message)
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def bad_parameter(error: ApiError):
    return _error(400, "bad_request", error.message)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return _error(error.code or 500, error.name.lower().replace(" ", "_"), error.description or error.name)


@bp.after_request
def open_to_every_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found(what: str):
    return _error(404, "not_found", f"There is no {what} with that id.")


def _page(records: list[dict], total: int, query) -> dict:
    return serialisers.page_record(records, total=total, page=query.page, per_page=query.per_page)


@bp.route("/")
@public
def meta():
    return jsonify(
        version=HSDS_VERSION, profile=PROFILE_URL, openapi_url=url_for("directory_api.openapi", _external=True)
    )


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document(url_for("directory_api.meta", _external=True).rstrip("/")))


@bp.route("/services")
@public
@unlogged_query
def services():
    query = parse_query(request.args)
    activities, total = list_services(query, now=utcnow())
    marked = _marked_partners({activity.partner_id for activity in activities if activity.partner_id is not None})
    return jsonify(
        _page(
            [serialisers.service_list_item(activity, marked=activity.partner_id in marked) for activity in activities],
            total,
            query,
        )
    )


def _marked_partners(partner_ids: set[int]) -> set[int]:
    """Which of these partners hold the mark today, in one statement whatever the page's size."""
    return (
        set(db.session.scalars(marked_partner_ids(london_today()).where(MarkApplication.partner_id.in_(partner_ids))))
        if partner_ids
        else set()
    )


@bp.route("/services/<service_id>")
@public
def service(service_id: str):
    activity = get_visible_activity(serialisers.row_id("service", service_id), now=utcnow())
    if activity is None:
        return _not_found("service")
    marked = activity.partner_id is not None and current_mark(activity.partner_id, london_today()) is not None
    return jsonify(serialisers.service_record(activity, marked=marked))


@bp.route("/service_at_locations")
@public
@unlogged_query
def service_at_locations():
    query = parse_query(request.args, places=True)
    places, total = list_places(query, now=utcnow())
    records = [
        serialisers.service_at_location_record(place.activity, place, full=False)
        | {"service": serialisers.service_summary(place.activity)}
        for place in places
    ]
    return jsonify(_page(records, total, query))


@bp.route("/service_at_locations/<place_id>")
@public
def service_at_location(place_id: str):
    """The spec answers with the fully nested service offered at this venue."""
    number = serialisers.row_id("service_at_location", place_id)
    activity_id = (
        db.session.scalar(select(ServiceAtLocation.activity_id).where(ServiceAtLocation.id == number))
        if number is not None
        else None
    )
    activity = get_visible_activity(activity_id, now=utcnow())
    if activity is None:
        return _not_found("service at location")
    return jsonify(serialisers.service_record(activity))


@bp.route("/taxonomies")
@public
def taxonomies():
    query = parse_query({key: request.args.get(key, "") for key in ("page", "per_page")})
    rows = list(db.session.scalars(select(Taxonomy).order_by(Taxonomy.id)))
    chosen = rows[(query.page - 1) * query.per_page : query.page * query.per_page]
    return jsonify(_page([serialisers.taxonomy_record(row) for row in chosen], len(rows), query))


@bp.route("/taxonomies/<taxonomy_id>")
@public
def taxonomy(taxonomy_id: str):
    found = db.session.scalar(
        select(Taxonomy).where(Taxonomy.uuid == taxonomy_id.lower()).options(selectinload(Taxonomy.terms))
    )
    if found is None:
        return _not_found("taxonomy")
    return jsonify(
        serialisers.taxonomy_record(found)
        | {"taxonomy_terms": [serialisers.taxonomy_term_record(term) for term in found.terms]}
    )


@bp.route("/taxonomy_terms")
@public
def taxonomy_terms():
    query = parse_query({key: request.args.get(key, "") for key in ("page", "per_page")})
    rows = list(
        db.session.scalars(
            select(TaxonomyTerm)
            .order_by(TaxonomyTerm.id)
            .options(selectinload(TaxonomyTerm.parent), selectinload(TaxonomyTerm.taxonomy))
        )
    )
    chosen = rows[(query.page - 1) * query.per_page : query.page * query.per_page]
    return jsonify(_page([serialisers.taxonomy_term_record(row) for row in chosen], len(rows), query))


@bp.route("/taxonomy_terms/<term_id>")
@public
def taxonomy_term(term_id: str):
    found = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.uuid == term_id.lower()))
    if found is None:
        return _not_found("taxonomy term")
    return jsonify(serialisers.taxonomy_term_record(found))


@bp.route("/<path:unknown>")
@public
def unknown_path(unknown: str):
    return _error(404, "not_found", f"No such resource. Start at {url_for('directory_api.meta')}.")
