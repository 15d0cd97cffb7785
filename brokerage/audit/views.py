"""Coordinators browse and filter the audit trail; there is no way to change it."""

from flask import Blueprint, render_template, request

from ..core.values.roles import Role
from ..core.web.access import roles_required
from . import services
from .forms import AuditFilterForm

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _whole_number(value: str | None) -> int | None:
    """A number typed as ASCII digits, or None: str.isdigit alone accepts "²", which int() refuses."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None


def _filters_from(form: AuditFilterForm) -> services.AuditFilter:
    if not form.validate():
        return services.AuditFilter()
    return services.AuditFilter(
        action=form.action.data or None,
        object_type=form.object_type.data or None,
        object_id=form.object_id.data,
        actor_id=form.actor.data,
        since=form.since.data,
        until=form.until.data,
    )


@bp.route("")
@roles_required(Role.COORDINATOR)
def list_events():
    form = AuditFilterForm(request.args, meta={"csrf": False})
    form.action.choices = [("", "Any action")] + [(a, a) for a in services.known_actions()]
    form.object_type.choices = [("", "Anything")] + [(t, t) for t in services.known_object_types()]
    page = _whole_number(request.args.get("page")) or 1
    result = services.list_events(filters=_filters_from(form), page=page)
    query_args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/list.html", form=form, result=result, query_args=query_args)
