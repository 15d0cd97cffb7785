"""Hosting: a group applies to a partner; the partner's own people (or a coordinator) approve with an
agreement (start, expiry, fee) or decline; the host records money received; a group with its own open
bank account graduates (the balance is transferred out and hosting ends). Every change is audited.

Who may do what is in `access.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...accounts.models import User
from ...audit.services import record_event
from ...core.data.unit_of_work import Conflict, refused_as, unit_of_work
from ...core.values.timeutils import london_today, utcnow
from ...core.web.filters import money
from ...core.web.links import absolute_url
from ...errors import NotFound, PermissionDenied, RuleViolation
from ...extensions import db
from ...notifications.services import notify
from ...partners.access import acts_for_partner
from ...partners.models import Partner
from ...partners.page import PartnerPanel, register_partner_panel
from ...partners.recipients import partner_contacts
from ..access import require_edit
from ..lifecycle import moving
from ..models import MAX_FEE_PERCENT, Group, Hosting
from .access import can_see_hosting, require_host
from .ledger import add_entry
from .models import Expense
from .rules import OUTSTANDING, Blocker, Outstanding, expense_state, graduation_blockers

MAX_AGREEMENT_DAYS = 5 * 366
PENDING_DAYS = 60  # an application undecided this long expires, so the group can ask another partner


@dataclass(frozen=True)
class Terms:
    starts_on: date | None
    expires_on: date | None
    fee_percent: int | None


def get_hosting(*, actor: User, hosting_id: int) -> Hosting:
    """The hosting, if `actor` may see it. Raises NotFound, PermissionDenied."""
    hosting = db.session.get(Hosting, hosting_id)
    if hosting is None:
        raise NotFound()
    if not can_see_hosting(actor, hosting):
        raise PermissionDenied()
    return hosting


def live_hosting(group: Group) -> Hosting | None:
    """The group's pending application or approved agreement, if any."""
    return db.session.scalar(
        select(Hosting).where(Hosting.group_id == group.id, Hosting.status.in_(("pending", "approved")))
    )


def hostings_of(group: Group) -> list[Hosting]:
    return list(
        db.session.scalars(
            select(Hosting).where(Hosting.group_id == group.id).order_by(Hosting.applied_at.desc(), Hosting.id.desc())
        )
    )


def _audit(actor: User, hosting: Hosting, action: str, summary: str, before=None, after=None) -> None:
    record_event(
        actor=actor,
        action=f"hosting.{action}",
        object_type="group",
        object_id=hosting.group_id,
        summary=f"{hosting.group.name}: {summary}",
        before=before,
        after={"hosting_id": hosting.id, **(after or {})},
    )


def _retire_expired(actor: User, hosting: Hosting, today: date) -> None:
    """An approved agreement past its expiry, holding no money, makes way for a new application."""
    if hosting.status == "approved" and hosting.expired_on(today) and hosting.balance_pence == 0:
        hosting.status = "expired"
        _audit(actor, hosting, "expired", f"hosting by {hosting.partner.name} expired on {hosting.expires_on:%d %B %Y}")
        db.session.flush()
        return
    raise RuleViolation(
        "The group already has a hosting application or agreement. Wait for the decision, "
        "or for the agreement to end, before applying again.",
        field="partner_id",
    )


def apply_for_hosting(*, actor: User, group: Group, partner_id: int, request: str) -> Hosting:
    """Apply to a partner to be hosted (one live application or agreement at a time).
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_edit(actor, group)
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None or partner.is_archived:
            raise RuleViolation("Choose the partner the group would like to host it.", field="partner_id")
        current = live_hosting(group)
        if current is not None:
            _retire_expired(actor, current, london_today())
        hosting = Hosting(group_id=group.id, partner_id=partner.id, request=request.strip(), applied_by_id=actor.id)
        with refused_as(Conflict("The group already has a hosting application.", field="partner_id")):
            db.session.add(hosting)
        _audit(actor, hosting, "applied", f"applied to {partner.name} to be hosted", after={"partner_id": partner.id})
        _tell_host(hosting, group, partner)
    return hosting


def _tell_host(hosting: Hosting, group: Group, partner: Partner) -> None:
    """The host partner's contacts hear of the application in the same transaction."""
    link = absolute_url("groups.decide_hosting", hosting_id=hosting.id)
    for person in partner_contacts(partner):
        notify(
            kind="hosting_application",
            occasion=f"hosting:{hosting.id}:applied",
            recipient=person,
            subject=f"{group.name} would like {partner.name} to host it",
            why=f"You are a contact for {partner.name}, the partner the group asked.",
            context={"group": group.name, "partner": partner.name, "link": link},
        )


def _check_terms(terms: Terms, today: date) -> None:
    if terms.starts_on is None:
        raise RuleViolation("Enter the date the agreement starts.", field="starts_on")
    if terms.expires_on is None:
        raise RuleViolation("Enter the date the agreement expires.", field="expires_on")
    if terms.expires_on <= terms.starts_on:
        raise RuleViolation("The agreement must expire after it starts.", field="expires_on")
    if terms.expires_on < today:
        raise RuleViolation("The expiry date has already passed: choose a date in the future.", field="expires_on")
    if (terms.expires_on - terms.starts_on).days > MAX_AGREEMENT_DAYS:
        raise RuleViolation("An agreement can last at most 5 years; it can be renewed.", field="expires_on")
    if terms.fee_percent is not None and not 1 <= terms.fee_percent <= MAX_FEE_PERCENT:
        raise RuleViolation(f"The fee is a whole percentage from 1 to {MAX_FEE_PERCENT}, or none.", field="fee_percent")


def _require_pending(hosting: Hosting) -> None:
    if hosting.status != "pending":
        raise RuleViolation("This application has already been decided.")


def approve_hosting(*, actor: User, hosting: Hosting, terms: Terms) -> None:
    """The host's contacts or a coordinator approve a pending application with the agreement's dates and
    fee; the group's stage may move to hosted. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_host(actor, hosting)
        _require_pending(hosting)
        _check_terms(terms, london_today())
        assert terms.starts_on is not None and terms.expires_on is not None  # refused by _check_terms
        with moving("approve_hosting", actor=actor, group=hosting.group):
            hosting.status, hosting.decided_by_id, hosting.decided_at = "approved", actor.id, utcnow()
            hosting.starts_on, hosting.expires_on = terms.starts_on, terms.expires_on
            hosting.fee_percent = terms.fee_percent
            fee = f"{terms.fee_percent}% fee" if terms.fee_percent else "no fee"
            _audit(
                actor,
                hosting,
                "approved",
                f"{hosting.partner.name} agreed to host it until {terms.expires_on:%d %B %Y} ({fee})",
                before={"status": "pending"},
                after={
                    "status": "approved",
                    "starts_on": terms.starts_on.isoformat(),
                    "expires_on": terms.expires_on.isoformat(),
                    "fee_percent": terms.fee_percent,
                },
            )


def decline_hosting(*, actor: User, hosting: Hosting, reason: str) -> None:
    """The host's contacts or a coordinator decline a pending application, with a reason.
    Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_host(actor, hosting)
        _require_pending(hosting)
        if not reason.strip():
            raise RuleViolation("Say why, so the group knows what to do next.", field="reason")
        hosting.status, hosting.decided_by_id, hosting.decided_at = "rejected", actor.id, utcnow()
        hosting.decision_note = reason.strip()[:1000]
        _audit(
            actor,
            hosting,
            "declined",
            f"{hosting.partner.name} declined to host it: {hosting.decision_note}",
            before={"status": "pending"},
            after={"status": "rejected"},
        )


def renew_hosting(*, actor: User, hosting: Hosting, expires_on: date | None) -> None:
    """The host's contacts or a coordinator extend a current agreement before it expires, so the
    group's money is never left held without one. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_host(actor, hosting)
        today = london_today()
        if hosting.state(today) != "approved" or hosting.expires_on is None:
            raise RuleViolation(
                "Only a current agreement can be renewed. Once it has expired, the group applies again."
            )
        if expires_on is None:
            raise RuleViolation("Enter the new expiry date.", field="expires_on")
        if expires_on <= hosting.expires_on:
            raise RuleViolation(
                f"The new expiry date must be after the present one, {hosting.expires_on:%-d %B %Y}.",
                field="expires_on",
            )
        if (expires_on - today).days > MAX_AGREEMENT_DAYS:
            raise RuleViolation(
                "An agreement can run at most 5 years from today; it can be renewed again.", field="expires_on"
            )
        before = hosting.expires_on
        hosting.expires_on = expires_on
        _audit(
            actor,
            hosting,
            "renewed",
            f"{hosting.partner.name} renewed the agreement until {expires_on:%-d %B %Y} "
            f"(it was to expire on {before:%-d %B %Y})",
            before={"expires_on": before.isoformat()},
            after={"expires_on": expires_on.isoformat()},
        )


def stale_applications(now: datetime) -> list[Hosting]:
    """Pending applications made more than `PENDING_DAYS` ago."""
    return list(
        db.session.scalars(
            select(Hosting)
            .where(Hosting.status == "pending", Hosting.applied_at < now - timedelta(days=PENDING_DAYS))
            .order_by(Hosting.id)
        )
    )


def expire_application(hosting: Hosting, now: datetime) -> None:
    """Inside the caller's unit of work: the host did not decide in time, so the application expires."""
    hosting.status, hosting.decided_at = "expired", now
    hosting.decision_note = f"No decision within {PENDING_DAYS} days."
    record_event(
        actor=None,
        action="hosting.application_expired",
        object_type="group",
        object_id=hosting.group_id,
        summary=f"{hosting.group.name}: the application to {hosting.partner.name} expired without a decision",
        before={"status": "pending"},
        after={"hosting_id": hosting.id, "status": "expired"},
    )


def require_agreement(hosting: Hosting, today: date) -> None:
    if hosting.status != "approved":
        raise RuleViolation("Money can only be held under an approved hosting agreement.")
    if hosting.expired_on(today) or (hosting.starts_on and hosting.starts_on > today):
        raise RuleViolation(
            f"The hosting agreement runs from {hosting.starts_on:%d %B %Y} to "
            f"{hosting.expires_on:%d %B %Y}; today is outside it."
        )


def record_money_received(*, actor: User, hosting: Hosting, amount_pence: int, received_on: date, note: str) -> None:
    """The host records money received for the group (not in the future); its agreed fee is taken as a
    separate entry. Raises PermissionDenied, RuleViolation."""
    with unit_of_work():
        require_host(actor, hosting)
        today = london_today()
        require_agreement(hosting, today)
        if received_on > today:
            raise RuleViolation("The date cannot be in the future.", field="received_on")
        add_entry(actor=actor, hosting=hosting, kind="received", amount_pence=amount_pence, on=received_on, note=note)
        fee = amount_pence * (hosting.fee_percent or 0) // 100
        if fee:
            add_entry(
                actor=actor,
                hosting=hosting,
                kind="host_fee",
                amount_pence=fee,
                on=received_on,
                note=f"{hosting.fee_percent}% of {money(amount_pence)}",
            )
        _audit(
            actor,
            hosting,
            "money_received",
            f"{hosting.partner.name} received {money(amount_pence)} for it" + (f" ({money(fee)} fee)" if fee else ""),
            after={"amount_pence": amount_pence, "fee_pence": fee, "balance_pence": hosting.balance_pence},
        )


def outstanding_of(hosting: Hosting) -> list[Outstanding]:
    """The expenses not yet paid, withdrawn or cancelled, oldest first."""
    rows = db.session.scalars(
        select(Expense)
        .where(Expense.hosting_id == hosting.id, Expense.status.in_(OUTSTANDING))
        .order_by(Expense.submitted_at, Expense.id)
    )
    return [
        Outstanding(
            e.description,
            e.claimant.name,
            money(e.amount_pence),
            expense_state(e.status, e.amount_pence, hosting.balance_pence),
        )
        for e in rows
    ]


def graduation_blockers_of(hosting: Hosting) -> list[Blocker]:
    return graduation_blockers(
        status=hosting.status, bank_open=hosting.group.bank_status == "open", outstanding=outstanding_of(hosting)
    )


def graduate(*, actor: User, hosting: Hosting) -> None:
    """A group with its own open bank account graduates: the whole balance is recorded as transferred
    to that account and hosting ends. Every expense must first be paid, withdrawn or cancelled.
    Raises PermissionDenied, RuleViolation (naming the first thing to settle)."""
    with unit_of_work():
        require_host(actor, hosting)
        group = hosting.group
        blockers = graduation_blockers_of(hosting)
        if blockers:
            raise RuleViolation(
                f"{blockers[0].what} {blockers[0].next_step}"
                + (f" ({len(blockers) - 1} more to settle: see the list.)" if len(blockers) > 1 else "")
            )
        with moving("graduate", actor=actor, group=group):
            held, today = hosting.balance_pence, london_today()
            if held:
                add_entry(
                    actor=actor,
                    hosting=hosting,
                    kind="transfer_out",
                    amount_pence=held,
                    on=today,
                    note=f"To {group.bank_account_name}, account ending {group.bank_account_last4}",
                )
            hosting.status, hosting.ended_on = "ended", today
            _audit(
                actor,
                hosting,
                "graduated",
                f"graduated to its own account; {money(held)} transferred from {hosting.partner.name}",
                before={"status": "approved", "balance_pence": held},
                after={"status": "ended", "balance_pence": 0},
            )


def hosting_partner_choices() -> list[Partner]:
    return list(db.session.scalars(select(Partner).where(Partner.archived_at.is_(None)).order_by(Partner.name)))


def hosted_by(partner: Partner) -> list[Hosting]:
    """The partner's pending applications and agreements (current or expired but still open)."""
    return list(
        db.session.scalars(
            select(Hosting)
            .where(Hosting.partner_id == partner.id, Hosting.status.in_(("pending", "approved")))
            .order_by(Hosting.status, Hosting.expires_on)
        )
    )


def _partner_panel(partner: Partner, viewer: User) -> dict | None:
    if not (viewer.is_coordinator or acts_for_partner(viewer, partner.id)):
        return None
    rows = hosted_by(partner)
    return {"rows": rows, "partner": partner, "today": london_today()} if rows else None


register_partner_panel(PartnerPanel(order=30, template="groups/hosting/_partner_panel.html", load=_partner_panel))
