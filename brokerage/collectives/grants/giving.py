"""Awarded grants as open data: a 360Giving Data Standard package (version 1.4).

Only awards appear (bids approved by their collective's vote, paid or not); drafts, bids
still being decided, deferred and refused bids never do. Each grant shows the bid as it was
voted on (the poll's snapshot), what was awarded and paid, the recipient organisation, the
locality collective as the grant programme and the locality's ONS district code as the
beneficiary location; the recipient's location (its district code) where it is known, and the
feed's own address as each grant's data source. No personal data: no names of people, no
addresses, no tallies.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ...core.values.timeutils import to_london
from ...extensions import db
from ...partners.models import Partner
from ..bids.models import Bid
from ..voting.models import Award, Poll
from .models import Payment
from .payments import paid_by_commitment

STANDARD_VERSION = "1.4"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Publisher:
    prefix: str  # the 360Giving prefix: grant ids are 360G-<prefix>-<award id>
    funder_id: str
    funder_name: str
    data_source: str  # where the grants are published: the feed's own absolute URL


def pounds(pence: int) -> int | float:
    """Whole pounds as an integer, otherwise pounds and pence (360Giving amounts are in pounds)."""
    return pence // 100 if pence % 100 == 0 else pence / 100


def recipient_id(partner: Partner, prefix: str) -> str:
    """GB-CHC-<charity number>, else GB-COH-<company number>, else a local id of ours."""
    if partner.charity_number:
        return f"GB-CHC-{partner.charity_number}"
    if partner.company_number:
        return f"GB-COH-{partner.company_number}"
    return f"360G-{prefix}-partner-{partner.id}"


def recipient_location(partner: Partner) -> list[dict]:
    """Where the organisation is, as far as we know it: a partner of one locality is in that
    locality's district (LAD); one working across several could be in any, so none is claimed."""
    if len(partner.localities) != 1:
        return []
    [locality] = partner.localities
    return [{"name": locality.name, "geoCode": locality.ons_code, "geoCodeType": "LAD", "countryCode": "GB"}]


def _recipient(partner: Partner, prefix: str) -> dict:
    organisation: dict[str, Any] = {"id": recipient_id(partner, prefix), "name": partner.name}
    location = recipient_location(partner)
    if location:
        organisation["location"] = location
    if partner.charity_number:
        organisation["charityNumber"] = partner.charity_number
    if partner.company_number:
        organisation["companyNumber"] = partner.company_number
    return organisation


def _grant(award: Award, poll: Poll, bid: Bid, paid: int, modified: datetime, publisher: Publisher) -> dict:
    snapshot, locality = poll.bid_snapshot, bid.locality
    return {
        "id": f"360G-{publisher.prefix}-{award.id}",
        "title": snapshot["title"],
        "description": snapshot["summary"],
        "currency": "GBP",
        "amountAwarded": pounds(award.amount_pence),
        "amountAppliedFor": pounds(snapshot["requested_pence"]),
        "amountDisbursed": pounds(paid),
        "awardDate": to_london(award.awarded_at).date().isoformat(),
        "recipientOrganization": [_recipient(bid.partner, publisher.prefix)],
        "fundingOrganization": [
            {"id": publisher.funder_id, "name": publisher.funder_name, "department": "Creative Minds"}
        ],
        "grantProgramme": [
            {
                "code": f"360G-{publisher.prefix}-collective-{locality.slug}",
                "title": f"Creative Minds {locality.name} locality collective",
            }
        ],
        "beneficiaryLocation": [
            {"name": locality.name, "geoCode": locality.ons_code, "geoCodeType": "LAD", "countryCode": "GB"}
        ],
        "plannedDates": [{"startDate": snapshot["start_on"], "endDate": snapshot["end_on"]}],
        "dateModified": modified.isoformat(),
        "dataSource": publisher.data_source,
    }


def _last_payments(award_ids: list[int]) -> dict[int, datetime]:
    if not award_ids:
        return {}
    return dict(
        db.session.execute(
            select(Payment.award_id, func.max(Payment.recorded_at))
            .where(Payment.award_id.in_(award_ids))
            .group_by(Payment.award_id)
        )
        .tuples()
        .all()
    )


def grants_package(*, publisher: Publisher, now: datetime) -> dict:
    """Every award, oldest first, as a 360Giving package (in four queries, whatever the count)."""
    rows = db.session.execute(
        select(Award, Poll, Bid)
        .join(Poll, Poll.id == Award.poll_id)
        .join(Bid, Bid.id == Award.bid_id)
        .order_by(Award.id)
    ).all()
    paid = paid_by_commitment([award.commitment_entry_id for award, _, _ in rows])
    last_paid = _last_payments([award.id for award, _, _ in rows])
    grants = [
        _grant(
            award,
            poll,
            bid,
            paid.get(award.commitment_entry_id, 0),
            max(award.awarded_at, last_paid.get(award.id, award.awarded_at)),
            publisher,
        )
        for award, poll, bid in rows
    ]
    return {
        "grants": grants,
        "version": STANDARD_VERSION,
        "identifier": f"360G-{publisher.prefix}-grants",
        "title": "Creative Minds match-funding grants decided by the locality collectives",
        "publisher": {"name": publisher.funder_name, "identifier": publisher.funder_id},
        "license": LICENSE,
        "modified": now.isoformat(),
    }
