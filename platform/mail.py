"""Sending e-mail. Development and tests write each message to `instance/outbox/`; production uses SMTP."""
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
import smtplib

from flask import current_app, render_template
from flask_babel import force_locale


def send(to: str, subject, template: str, locale: str | None = None, **context) -> EmailMessage:
    """Render `template` (plain text) in the recipient's language and send it."""
    with force_locale(locale or "en"):
        message = EmailMessage()
        message["From"] = current_app.config["MAIL_FROM"]
        message["To"] = to
        message["Subject"] = str(subject)  # a lazy string, translated here
        message["Message-ID"] = make_msgid(domain="bibnet")
        message.set_content(render_template(template, **context))
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "outbox":
        outbox = Path(current_app.config["MAIL_OUTBOX"])
        outbox.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (outbox / f"{name}.eml").write_bytes(bytes(message))
    else:
        config = current_app.config
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    return message
