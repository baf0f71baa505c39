"""Sending e-mail over SMTP, when the configuration names a server (MAIL_SERVER and friends).

Every e-mail is written in its recipient's language (``force_locale``), dates through Babel
(``readiness.i18n.format_day``): a user's saved language, or for a respondent the one chosen on the
invitation form; never the sender's.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from flask import current_app


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def language_of(user: Any) -> str:
    """The language of e-mails to a user: their saved interface language (English if none).
    Respondents have no account: see ``invitations.mail_language``."""
    return user.locale.value if getattr(user, "locale", None) else "en"


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_all(mails: list[Mail]) -> int:
    """Send every message over one SMTP connection.

    :return: how many were sent.
    :raise MailError: when e-mail is off, the server is unreachable or refuses a message.
    """
    config = current_app.config
    if not mail_enabled():
        raise MailError("e-mail is off: MAIL_SERVER is not set")
    if not mails:
        return 0
    connect = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with connect(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for mail in mails:
                smtp.send_message(_message(mail, config["MAIL_DEFAULT_SENDER"]))
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error)) from error
    return len(mails)


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, mail.to, mail.subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(mail.body)
    return message
