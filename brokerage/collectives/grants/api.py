"""GET /api/v1/grants: awarded grants as a 360Giving package (JSON, open to every origin).

The 360Giving package schema requires at least one grant, so before the first award there is
no valid package to publish: the feed answers 404 with a JSON explanation, the way a
publisher's file that does not exist yet would, rather than an empty package that would fail
validation wherever it is harvested."""

from flask import Blueprint, current_app, jsonify, url_for

from ...core.values.timeutils import utcnow
from ...core.web.access import public
from .giving import Publisher, grants_package

bp = Blueprint("grants_api", __name__, url_prefix="/api/v1")


@bp.after_request
def open_to_every_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/grants")
@public
def grants():
    config = current_app.config
    publisher = Publisher(
        prefix=config.get("GRANTS_PREFIX", "creativeminds"),
        funder_id=config["GRANTS_FUNDER_ID"],
        funder_name=config["GRANTS_FUNDER_NAME"],
        data_source=url_for("grants_api.grants", _external=True),
    )
    package = grants_package(publisher=publisher, now=utcnow())
    if not package["grants"]:
        response = jsonify(
            error="not_found",
            message="No grants have been awarded yet. A 360Giving package must "
            "hold at least one grant, so the feed starts with the first "
            "award.",
        )
        response.status_code = 404
        return response
    return jsonify(package)
