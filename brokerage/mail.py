"""The seam for sending email. No mail server is configured yet, so the default mailer
delivers nothing and says so; the coordinator is shown the link to pass on instead."""
from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


class NullMailer:
    """Delivers nothing; `send` answers False so callers show the message another way."""

    def send(self, message: Message) -> bool:
        current_app.logger.info("mail not configured: message %r to one recipient not sent", message.subject)
        return False


def send(message: Message) -> bool:
    """True when the message was handed to a mail service."""
    return current_app.extensions.get("mailer", NullMailer()).send(message)
