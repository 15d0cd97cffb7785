"""Coordinators browse and filter the audit trail; there is no way to change it."""
from flask import Blueprint, render_template, request

from ..accounts.roles import Role
from ..core.access import roles_required
from . import services
from .forms import AuditFilterForm

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _filters_from(form: AuditFilterForm) -> services.AuditFilter:
    if not form.validate():
        return services.AuditFilter()
    actor = form.actor.data.strip() if form.actor.data else ""
    return services.AuditFilter(action=form.action.data or None, object_type=form.object_type.data or None,
                                object_id=form.object_id.data, actor_id=int(actor) if actor.isdigit() else None,
                                since=form.since.data, until=form.until.data)


@bp.route("")
@roles_required(Role.COORDINATOR)
def list_events():
    form = AuditFilterForm(request.args, meta={"csrf": False})
    form.action.choices = [("", "Any action")] + [(a, a) for a in services.known_actions()]
    form.object_type.choices = [("", "Anything")] + [(t, t) for t in services.known_object_types()]
    page = request.args.get("page", "1")
    result = services.list_events(filters=_filters_from(form), page=int(page) if page.isdigit() else 1)
    query_args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("audit/list.html", form=form, result=result, query_args=query_args)
