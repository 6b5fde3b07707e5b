"""Delivery: the digest's PDF by e-mail to the configured recipients.

A digest is queued in `deliveries` when it is written and sent afterwards; a
failed send stays queued and is tried again by the next run, and never stops
the files in `output/` from being written.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from clipper import store
from clipper.config import DeliverySettings
from clipper.labels import LABELS, period_labels, period_span

log = logging.getLogger(__name__)


def queue(db, settings: DeliverySettings, name: str, files: list[Path], subject: str,
          body: str) -> bool:
    """Queue a message (once per name); whether it was new. Nothing without recipients."""
    if not settings.recipients:
        return False
    return store.queue_delivery(db, {
        "name": name, "files": json.dumps([str(f) for f in files]), "subject": subject,
        "body": body, "recipients": json.dumps(list(settings.recipients)),
    })


def summary(analysis: dict, lang: str) -> tuple[str, str]:
    """The subject and the short body of the e-mail that carries a digest."""
    labels, period = LABELS[lang], analysis["period"]
    heading = period_labels(period["kind"], lang)["heading"]
    span = period_span(date.fromisoformat(period["first"]), date.fromisoformat(period["last"]),
                       lang)
    figures = analysis["figures"]
    lines = [f"{analysis['organization']} · {heading} · {span}", ""]
    lines += [f"{labels[key]}: {figures[key]}"
              for key in ("articles", "mentions", "stories", "outlets", "negative")]
    if analysis["attention"]:
        lines += ["", f"{labels['attention']}:"]
        lines += [f"— {story['headline']}" for story in analysis["attention"][:5]]
    subject = f"{heading} · {span}"
    return (f"{analysis['title']} · {subject}" if analysis.get("title") else subject), \
        "\n".join(lines)


def send_pending(db, settings: DeliverySettings) -> dict:
    """Send what is queued. Each send is recorded before it starts: a run killed while
    sending leaves it marked, and it is not sent again (it may have arrived)."""
    counts = {"sent": 0, "failed": 0}
    for delivery in store.interrupted_deliveries(db):
        log.warning("delivery of %s was cut off while sending at %s; it may have arrived "
                    "and is not sent again (the files are in the output folder)",
                    delivery["name"], delivery["sending_at"])
    for delivery in store.pending_deliveries(db):
        store.delivery_starts(db, delivery["id"])
        error = _send(settings, delivery)
        store.delivery_outcome(db, delivery["id"], error)
        counts["failed" if error else "sent"] += 1
        if error:
            log.warning("delivery of %s failed (will retry next run): %s",
                        delivery["name"], error)
    return counts


def message(settings: DeliverySettings, delivery: dict) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = ", ".join(json.loads(delivery["recipients"]))
    mail["Subject"] = delivery["subject"]
    # one Message-ID per queued digest: a copy sent again is recognisable as the same
    mail["Message-ID"] = f"<clipper.{delivery['id']}.{delivery['name']}@{_domain(settings)}>"
    mail.set_content(delivery["body"])
    for name in json.loads(delivery["files"]):
        path = Path(name)
        mail.add_attachment(path.read_bytes(), maintype="application", subtype="pdf",
                            filename=path.name)
    return mail


def _domain(settings: DeliverySettings) -> str:
    return settings.sender.rpartition("@")[2].strip("<> ") or "clipper.invalid"


def _send(settings: DeliverySettings, delivery: dict) -> str | None:
    """Send one queued digest; the error as text, or None when it went."""
    try:
        mail = message(settings, delivery)
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            user = os.environ.get("CLIPPER_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("CLIPPER_SMTP_PASSWORD", ""))
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None
