"""Helpers for the calls tests: a call's details and issuing one as a coordinator."""
from dataclasses import replace
from datetime import date

from brokerage.collectives.calls import services as calls
from brokerage.collectives.calls.models import CallForBids
from brokerage.collectives.calls.rules import CallDetails
from brokerage.collectives.members import membership
from brokerage.extensions import db

from ..bids.helpers import NOW, TODAY, load

DETAILS = CallDetails(title="Evening activities for young people in Barnsley", wanted="Something to do after school.",
                      districts="S70", category_code="sport", category_label="Sport", audience="Ages 13 to 19",
                      upper_pence=300_000, closes_on=date(2026, 7, 31))


def issue(actor, slug: str = "barnsley", **changes) -> CallForBids:
    return calls.issue_call(actor=load(actor), collective=membership.get_collective(slug),
                            details=replace(DETAILS, **changes), now=NOW, today=TODAY)


def get_call(call_id: int) -> CallForBids:
    db.session.expire_all()
    return db.session.get(CallForBids, call_id)
