"""GET /api/v1/grants: awarded grants as a 360Giving package (JSON, open to every origin)."""
from flask import Blueprint, current_app, jsonify

from ..core.access import public
from ..core.timeutils import utcnow
from .grants import Publisher, grants_package

bp = Blueprint("grants_api", __name__, url_prefix="/api/v1")


@bp.after_request
def open_to_every_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/grants")
@public
def grants():
    config = current_app.config
    publisher = Publisher(prefix=config.get("GRANTS_PREFIX", "creativeminds"),
                          funder_id=config["GRANTS_FUNDER_ID"], funder_name=config["GRANTS_FUNDER_NAME"])
    return jsonify(grants_package(publisher=publisher, now=utcnow()))
