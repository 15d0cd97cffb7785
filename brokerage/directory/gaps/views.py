"""The gaps pages: which localities' gaps a person may see, a locality's gaps and their CSV."""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ...accounts.models import User
from ...collectives.members.membership import get_collective
from ...collectives.models import Collective
from ...collectives.pages import register_collective_panel
from ...core.data.models import Locality
from ...core.input.forms import validated
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import roles_required
from ...core.web.panels import Panel
from ...errors import PermissionDenied
from ...extensions import db
from ..listings.pages import search_choices
from .access import GAPS_ROLES, collectives_with_gaps_for, may_see_gaps
from .forms import GapsFilterForm
from .pages import NAME_SORT, SORTS, call_for_bids_url, gaps_csv, gaps_page

bp = Blueprint("gaps", __name__)


@bp.route("/gaps")
@roles_required(*GAPS_ROLES)
def index():
    collectives = list(db.session.scalars(select(Collective).join(Locality).order_by(Locality.name)))
    return render_template(
        "directory/gaps/index.html",
        collectives=collectives_with_gaps_for(current_user, collectives, london_today(utcnow())),
    )


def _page(slug: str):
    """The form from the query string and the page it asks for (None when it needs correcting);
    an unknown ?sort= is ignored."""
    collective = get_collective(slug)
    now = utcnow()
    if not may_see_gaps(current_user, collective, london_today(now)):
        raise PermissionDenied()
    form = GapsFilterForm(request.args, data={"period": "month", "category": ""})
    form.set_categories(search_choices()[0])
    if not form.validate():
        return form, collective, None
    sort = request.args.get("sort", NAME_SORT)
    page = gaps_page(
        collective=collective,
        now=now,
        period=validated(form.period.data),
        category=validated(form.category.data),
        sort=sort if sort in SORTS else NAME_SORT,
    )
    return form, collective, page


@bp.route("/collectives/<slug>/gaps")
@roles_required(*GAPS_ROLES)
def show(slug: str):
    form, collective, page = _page(slug)
    html = render_template(
        "directory/gaps/show.html", form=form, collective=collective, page=page, call_for_bids_url=call_for_bids_url
    )
    return (html, 400) if page is None else html


@bp.route("/collectives/<slug>/gaps.csv")
@roles_required(*GAPS_ROLES)
def download(slug: str):
    form, collective, page = _page(slug)
    if page is None:
        return render_template(
            "directory/gaps/show.html", form=form, collective=collective, page=None, call_for_bids_url=call_for_bids_url
        ), 400
    return Response(
        gaps_csv(page),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=gaps-{collective.slug}-{page.period}.csv"},
    )


def _collective_panel(collective: Collective, viewer: User) -> dict | None:
    """The link to the locality's gaps on the collective's page, for those who may see them."""
    if not may_see_gaps(viewer, collective, london_today(utcnow())):
        return None
    return {"locality": collective.locality.name, "slug": collective.slug}


register_collective_panel(Panel(order=10, template="directory/gaps/_collective_panel.html", load=_collective_panel))
