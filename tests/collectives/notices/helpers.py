"""Reading the outbox back in the collectives' message tests."""
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from brokerage.core.data.unit_of_work import unit_of_work
from brokerage.extensions import db
from brokerage.notifications.models import NotificationChoice, OutboxMessage


def outbox(kind: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.recipient_name)))


def names(kind: str) -> list[str]:
    return sorted(message.recipient_name for message in outbox(kind))


def choose(user, kind: str, delivery: str) -> None:
    with unit_of_work():
        db.session.add(NotificationChoice(user_id=user.id, kind=kind, delivery=delivery))


def link_paths(message: OutboxMessage) -> list[str]:
    """The paths of the links the message carries in its plain-text part (each is also in the HTML
    part), leaving out the unsubscribe link every non-security email ends with."""
    urls = [url for url in re.findall(r"https?://\S+", message.text_body) if url != message.unsubscribe_url]
    for url in urls:
        assert f'href="{url}"' in message.html_body
    return [urlsplit(url).path for url in urls]
