"""Public pages of the activity directory: search, the activity page and its calendar file."""

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.input.forms import apply_rule_violation
from ...core.values.timeutils import london_today, utcnow
from ...core.web.access import public
from ...core.web.log_privacy import unlogged_query
from ...errors import RuleViolation
from ..geo.distances import miles_text
from ..listings import services
from ..listings.access import can_edit_activity
from ..listings.ical import render_calendar
from ..listings.pages import (
    calendar_events,
    listing_facts,
    next_sessions,
    public_address,
    schedule_descriptions,
    search_choices,
)
from ..listings.schedules import describe_next
from ..listings.vocabulary import (
    ACCESSIBILITY,
    COST_KINDS,
    JOIN_METHODS,
    NOISE_LEVELS,
    STATUSES,
    SUITABLE_FOR,
    WEEKDAYS,
)
from ..page_cache import cached_page, page_moment
from .champions import champion_matching
from .form_html import search_form_html
from .forms import SearchForm
from .misses import services as misses
from .pages import SearchPage, search_activities
from .panels import activity_panels_for
from .summary import search_summary

bp = Blueprint("directory", __name__, url_prefix="/activities")
bp.add_app_template_filter(describe_next, "next_session")
LABELS = {
    "accessibility": ACCESSIBILITY,
    "cost": COST_KINDS,
    "join": JOIN_METHODS,
    "noise": NOISE_LEVELS,
    "status": STATUSES,
    "suitable": SUITABLE_FOR,
    "weekdays": WEEKDAYS,
}


bp.add_app_template_filter(miles_text, "miles")


def _page_url(changes: dict) -> str:
    """This search's URL with some parameters replaced (None removes one); back to page 1
    unless the page is what changes."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args.pop("page", None)
    for name, value in changes.items():
        args.pop(name, None)
        if value is not None:
            args[name] = value
    return url_for("directory.search", **args)


@bp.route("")
@public
@unlogged_query
@cached_page
def search():
    form = SearchForm(request.args)
    form.set_choices(*search_choices())
    page = None
    if request.args and form.validate():
        try:
            page = search_activities(query=form.query(), now=page_moment())
        except RuleViolation as error:
            apply_rule_violation(form, error)
    summary = search_summary(page.query, page.origin) if page else None
    html = render_template(
        "directory/search/index.html",
        form=form,
        page=page,
        page_url=_page_url,
        labels=LABELS,
        summary=summary,
        search_form=search_form_html(form),
        activity_href=_activity_href(),
    )
    if page is not None and page.total == 0:
        _count_the_miss(page)
    return html


def _activity_href():
    """Each result card's link to its activity page: built by url_for once, then each id put in
    its place (twenty url_for calls were a tenth of drawing a page of results)."""
    stem = url_for("directory.show", activity_id=0).removesuffix("0")
    return lambda activity_id: f"{stem}{activity_id}"


def _count_the_miss(page: SearchPage) -> None:
    """A search near a postcode district that found nothing is counted, anonymously, after its
    page is drawn (search/misses/services.record_search_miss, the search's one named write). Served again
    from the page cache within the same minute, the same search is not counted again."""
    key = misses.miss_key(page.query, page.origin, utcnow())
    if key is not None:
        misses.record_search_miss(key)


@bp.route("/printable")
@public
@unlogged_query
def printable():
    """A search's page of results with each one's address, pattern, joining, cost and contact,
    to print and hand over; a search that needs correcting goes back to the search page."""
    form = SearchForm(request.args)
    form.set_choices(*search_choices())
    search: dict[str, Any] = request.args.to_dict(flat=False)
    back = redirect(url_for("directory.search", **search))
    if not form.validate():
        return back
    try:
        page = search_activities(query=form.query(), now=page_moment())
    except RuleViolation:
        return back
    facts = listing_facts([result.activity.id for result in page.results])
    return render_template(
        "directory/search/printable.html",
        page=page,
        facts=facts,
        labels=LABELS,
        summary=search_summary(page.query, page.origin),
    )


@bp.route("/<int:activity_id>")
@public
@cached_page
def show(activity_id: int):
    activity = services.get_activity(activity_id)
    now = page_moment()
    return render_template(
        "directory/search/activity.html",
        activity=activity,
        labels=LABELS,
        address=public_address(activity),
        schedules=schedule_descriptions(activity),
        sessions=next_sessions(activity, now=now),
        freshness=services.freshness(activity, today=london_today(now)),
        can_edit=can_edit_activity(current_user, activity),
        panels=activity_panels_for(activity, current_user),
        matching=champion_matching(activity, current_user),
    )


@bp.route("/<int:activity_id>.ics")
@public
def calendar(activity_id: int):
    activity = services.get_activity(activity_id)
    url = url_for("directory.show", activity_id=activity.id, _external=True)
    body = render_calendar(calendar_events(activity, url=url), dtstamp=utcnow(), name=activity.title)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="activity-{activity.id}.ics"'},
    )
