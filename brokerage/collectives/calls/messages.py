"""The email that tells a locality's partners and champions a call for bids has opened, written
to the outbox in the unit of work that issues the call (once per call and person; each person's
choice for the kind "call_opened" is respected by `notify`)."""

from datetime import datetime

from sqlalchemy import select

from ...core.web.filters import long_date, money
from ...extensions import db
from ...notifications.services import Recipient, notify
from ...partners.models import ChampionProfile, Partner, champion_locality, partner_locality
from ..notices.people import link, members, partner_people
from .models import CallForBids


def recipients(locality_id: int) -> list[tuple[Recipient, str]]:
    """Each person once, with why they are told: the people of every current partner serving the
    locality (their accounts and named contacts), then the champions of the locality."""
    seen: set[str] = set()
    chosen: list[tuple[Recipient, str]] = []

    def add(person: Recipient, why: str) -> None:
        key = f"user:{person.user_id}" if person.user_id is not None else f"email:{(person.email or '').lower()}"
        if key not in seen:
            seen.add(key)
            chosen.append((person, why))

    partners = db.session.execute(
        select(Partner.id, Partner.name)
        .join(partner_locality, partner_locality.c.partner_id == Partner.id)
        .where(partner_locality.c.locality_id == locality_id, Partner.archived_at.is_(None))
        .order_by(Partner.name)
    ).all()
    for partner_id, name in partners:
        for person in partner_people(partner_id):
            add(person, f"You are a contact for {name}, a community partner in this locality.")
    champion_ids = db.session.scalars(
        select(ChampionProfile.user_id)
        .join(champion_locality, champion_locality.c.champion_id == ChampionProfile.id)
        .where(champion_locality.c.locality_id == locality_id)
    )
    for person in members(champion_ids):
        add(person, "You are a Creative Minds champion for this locality.")
    return chosen


def call_opened(*, call: CallForBids, now: datetime) -> int:
    """To the locality's partner contacts and champions: what the call asks for, up to how much,
    when it closes, and the link to the call. Returns how many messages were written."""
    locality = call.collective.locality.name
    context = {
        "title": call.title,
        "wanted": call.wanted,
        "collective": locality,
        "upper": money(call.upper_pence),
        "closes": long_date(call.closes_on),
        "districts": " ".join(call.district_list),
        "audience": call.audience,
        "link": link("calls.show", call_id=call.id),
    }
    return sum(
        notify(
            kind="call_opened",
            occasion=f"call:{call.id}:opened",
            recipient=person,
            why=why,
            subject=f"Call for bids: {call.title}",
            signed_by=f"The {locality} collective",
            context=context,
            now=now,
        )
        for person, why in recipients(call.collective.locality_id)
    )
