"""Handing a message to the world: SMTP through the standard library when MAIL_SERVER is set,
otherwise the app log (the console transport), so development needs no mail server."""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger("brokerage.notifications")


class TransportError(Exception):
    """The message was not accepted; `str()` is safe to store (no password, no body)."""


@dataclass(frozen=True)
class Outgoing:
    to_name: str
    to_email: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None


# SMTP's line endings, and lines up to RFC 5322's 998 characters: with the usual 78, a header that
# is one long word (the List-Unsubscribe link) is folded as RFC 2047 encoded words, which mail
# programs then cannot read as a link.
WIRE = policy.SMTP.clone(max_line_length=998)


def build_message(outgoing: Outgoing, *, sender: str, reply_to: str = "") -> EmailMessage:
    """A multipart/alternative message (plain text first, HTML second), with the RFC 8058 one-click
    unsubscribe headers when the message has an unsubscribe link."""
    message = EmailMessage(policy=WIRE)
    message["From"] = sender
    message["To"] = Address(display_name=outgoing.to_name, addr_spec=outgoing.to_email)
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].rstrip(">") or None)
    if outgoing.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{outgoing.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(outgoing.text)
    message.add_alternative(outgoing.html, subtype="html")
    return message


class SMTPTransport:
    """One connection per batch is plenty for this volume; each send opens and closes its own."""

    def __init__(self, config: dict):
        self.config = config

    def _connect(self) -> smtplib.SMTP:
        host, port, timeout = self.config["MAIL_SERVER"], int(self.config["MAIL_PORT"]), self.config["MAIL_TIMEOUT"]
        if self.config.get("MAIL_USE_SSL"):
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        connection = smtplib.SMTP(host, port, timeout=timeout)
        if self.config.get("MAIL_USE_TLS"):
            connection.starttls(context=ssl.create_default_context())
        return connection

    def send(self, outgoing: Outgoing) -> None:
        message = build_message(
            outgoing, sender=self.config["MAIL_DEFAULT_SENDER"], reply_to=self.config.get("MAIL_REPLY_TO") or ""
        )
        try:
            with self._connect() as connection:
                if self.config.get("MAIL_USERNAME"):
                    connection.login(self.config["MAIL_USERNAME"], self.config["MAIL_PASSWORD"])
                connection.send_message(message)
        except smtplib.SMTPResponseException as error:
            raise TransportError(f"The mail server refused: {error.smtp_code} {_said(error.smtp_error)}") from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = ", ".join(f"{code} {_said(text)}" for code, text in error.recipients.values())
            raise TransportError(f"The mail server refused the recipient: {codes}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(f"Could not reach the mail server: {type(error).__name__}") from error


def _said(text) -> str:
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text))[:300]


class ConsoleTransport:
    """No mail server: the message goes to the app log (and stays on the outbox page).

    Only in development is the whole message logged (the invitation links a developer follows);
    anywhere else a log collector would keep people's addresses and the links' tokens, so the log
    says only that a message was not sent."""

    def __init__(self, config: dict):
        self.config = config

    def send(self, outgoing: Outgoing) -> None:
        if self.config.get("MAIL_CONSOLE_SHOWS_MESSAGES"):
            log.info(
                "email (no MAIL_SERVER set, so not sent) to %s <%s>: %s\n%s",
                outgoing.to_name,
                outgoing.to_email,
                outgoing.subject,
                outgoing.text,
            )
        else:
            log.warning("email not sent: no MAIL_SERVER is set (the Emails page lists it)")


def transport_for(config: dict | None = None):
    """SMTP when MAIL_SERVER is set, else the console."""
    config = config if config is not None else current_app.config
    return SMTPTransport(config) if config.get("MAIL_SERVER") else ConsoleTransport(config)
