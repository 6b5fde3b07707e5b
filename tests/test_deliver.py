"""The digest goes by e-mail to a real SMTP server on loopback; a failed send is retried."""

import dataclasses
import email
import email.policy
import logging
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from conftest import make_settings
from test_pipeline import DAY, NOW, serve_outlets

from clipper import pipeline, store


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, mail))
        return "250 OK"


class Logins:
    def __init__(self):
        self.seen = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.seen.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox, logins = Inbox(), Logins()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=logins, auth_require_tls=False)
    controller.start()
    yield controller, inbox, logins
    controller.stop()


def with_delivery(settings, port: int):
    return settings.replace(delivery=dataclasses.replace(
        settings.delivery, recipients=("press@mki.gov.kz", "head@mki.gov.kz"),
        sender="clipper@mki.gov.kz", smtp_host="127.0.0.1", smtp_port=port, starttls=False,
        timeout=5.0))


def test_the_digest_is_mailed_with_its_pdf_and_a_summary(site, db, tmp_path, smtp, monkeypatch):
    controller, inbox, logins = smtp
    monkeypatch.setenv("CLIPPER_SMTP_USER", "clipper")
    monkeypatch.setenv("CLIPPER_SMTP_PASSWORD", "from-the-environment")
    settings = with_delivery(make_settings(tmp_path, serve_outlets(site), retries=0),
                             controller.port)
    result = pipeline.run(db, settings, DAY, now=NOW)
    assert result.counts["deliver"] == {"sent": 1, "failed": 0}
    ((recipients, mail),) = inbox.messages
    assert recipients == ["press@mki.gov.kz", "head@mki.gov.kz"]
    assert "22 ноября 2026" in mail["Subject"]
    body, attachment = [part for part in mail.walk() if not part.is_multipart()]
    assert "Негатив: 2" in body.get_content() and "Аккредитацию СМИ критикуют" in \
        body.get_content()
    assert attachment.get_filename() == "digest-2026-11-22.pdf"
    assert attachment.get_payload(decode=True)[:5] == b"%PDF-"
    assert logins.seen == [("clipper", "from-the-environment")]


def test_a_failed_send_keeps_the_files_and_is_retried_once_by_the_next_run(
        site, db, tmp_path, smtp):
    controller, inbox, _ = smtp
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    down = with_delivery(settings, free_port())
    result = pipeline.run(db, down, DAY, now=NOW)
    assert result.counts["deliver"] == {"sent": 0, "failed": 1}
    assert all(path.exists() for path in result.outputs)
    (queued,) = db["deliveries"].rows
    assert queued["sent_at"] is None and "Connection" in queued["last_error"]

    up = with_delivery(settings, controller.port)
    pipeline.run(db, up, DAY, now=NOW)
    pipeline.run(db, up, DAY, now=NOW)
    assert len(inbox.messages) == 1
    (sent,) = db["deliveries"].rows
    assert sent["sent_at"] and sent["attempts"] == 2


def test_the_weekly_report_is_mailed_too(site, db, tmp_path, smtp):
    controller, inbox, _ = smtp
    settings = with_delivery(make_settings(tmp_path, serve_outlets(site), retries=0),
                             controller.port)
    pipeline.run(db, settings, DAY, now=NOW)
    pipeline.report(db, settings, "week", DAY)
    names = [part.get_filename() for _, mail in inbox.messages for part in mail.walk()
             if part.get_filename()]
    assert names == ["digest-2026-11-22.pdf", "report-week-2026-11-16.pdf"]


def test_the_smtp_password_never_reaches_the_database_outputs_or_logs(
        site, db, tmp_path, smtp, monkeypatch, caplog):
    controller, _, _ = smtp
    secret = "planted-secret-7f3a9c"
    monkeypatch.setenv("CLIPPER_SMTP_USER", "clipper")
    monkeypatch.setenv("CLIPPER_SMTP_PASSWORD", secret)
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path, serve_outlets(site), retries=0)
    pipeline.run(db, with_delivery(settings, controller.port), DAY, now=NOW)
    pipeline.run(db, with_delivery(settings, free_port()), DAY + timedelta(days=1), now=NOW)
    db.conn.commit()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".pdf" for p in written) and any(p.suffix == ".db" for p in written)
    for path in written:
        assert secret.encode() not in path.read_bytes(), path
    assert secret not in caplog.text


def test_a_run_killed_between_sending_and_recording_does_not_send_twice(
        site, db, tmp_path, smtp, monkeypatch):
    controller, inbox, _ = smtp
    settings = with_delivery(make_settings(tmp_path, serve_outlets(site)), controller.port)

    def killed(*args):
        raise SystemExit("killed before the send was recorded")

    with monkeypatch.context() as patch:
        patch.setattr(store, "delivery_outcome", killed)
        with pytest.raises(SystemExit):
            pipeline.run(db, settings, DAY, now=NOW)
    assert len(inbox.messages) == 1

    pipeline.run(db, settings, DAY, now=NOW)
    assert len(inbox.messages) == 1
    (row,) = db["deliveries"].rows
    assert row["sending_at"] and row["sent_at"] is None
    first = inbox.messages[0][1]["Message-ID"]
    assert first == f"<clipper.{row['id']}.{row['name']}@mki.gov.kz>"
