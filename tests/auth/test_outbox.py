"""The outbox job delivers mails through a real SMTP server (aiosmtpd), retrying failures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest

from draftroom.config import ConfigError, load_settings
from draftroom.embedded import free_port
from draftroom.services import outbox
from draftroom.services.smtp import SmtpSender


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """A real SMTP server on a free loopback port: ``(smtp_url, inbox)``."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


async def test_the_job_sends_the_outbox_over_smtp(
    runtime: Any, smtp_server: tuple[str, Inbox]
) -> None:
    from draftroom.db.tables import OutboxMail
    from draftroom.tasks.broker import use_runtime
    from draftroom.tasks.mail import send_outbox

    url, inbox = smtp_server
    runtime.settings = replace(runtime.settings, smtp_url=url)
    use_runtime(runtime)
    mail_id = await outbox.enqueue(
        "alice@example.com", "Hello", "Line one\nhttp://x/#/reset", kind="t"
    )
    result = await (await send_outbox.kiq()).wait_result(timeout=10)
    assert result.return_value == {"sent": 1, "failed": 0}
    [(recipients, message)] = inbox.messages
    assert recipients == ["alice@example.com"]
    assert message["Subject"] == "Hello"
    assert "http://x/#/reset" in message.get_payload()
    row = await OutboxMail.select().where(OutboxMail.id == mail_id).first()
    assert row["sent_at"] is not None and row["attempts"] == 1
    again = await (await send_outbox.kiq()).wait_result(timeout=10)
    assert again.return_value == {"sent": 0, "failed": 0}
    assert len(inbox.messages) == 1


async def test_without_smtp_the_job_sends_nothing(runtime: Any) -> None:
    from draftroom.db.tables import OutboxMail
    from draftroom.tasks.broker import use_runtime
    from draftroom.tasks.mail import send_outbox

    runtime.settings = replace(runtime.settings, smtp_url=None)
    use_runtime(runtime)
    await outbox.enqueue("alice@example.com", "Hello", "body", kind="t")
    result = await (await send_outbox.kiq()).wait_result(timeout=10)
    assert result.return_value == {"sent": 0, "failed": 0}
    row = await OutboxMail.select().first()
    assert row["sent_at"] is None and row["attempts"] == 0


async def test_a_failed_send_is_retried_after_backoff(db: None) -> None:
    from draftroom.db.tables import OutboxMail

    down = SmtpSender.from_url(f"smtp://127.0.0.1:{free_port()}", "draftroom <a@b.c>")
    mail_id = await outbox.enqueue("alice@example.com", "Hello", "body", kind="t")
    assert await outbox.deliver_pending(down) == {"sent": 0, "failed": 1}
    row = await OutboxMail.select().where(OutboxMail.id == mail_id).first()
    assert row["sent_at"] is None and row["attempts"] == 1 and row["last_error"]
    assert row["next_attempt_at"] > datetime.now(UTC) + timedelta(seconds=50)
    # not due yet: nothing is tried
    assert await outbox.deliver_pending(down) == {"sent": 0, "failed": 0}


async def test_smtp_url_parsing() -> None:
    sender = SmtpSender.from_url("smtps://me%40x.org:p%2Fw@mail.x.org?insecure=1", "f <f@x.org>")
    assert (sender.host, sender.port, sender.use_tls) == ("mail.x.org", 465, True)
    assert (sender.username, sender.password, sender.validate_certs) == ("me@x.org", "p/w", False)
    plain = SmtpSender.from_url("smtp://relay:2525", "f <f@x.org>")
    assert (plain.port, plain.use_tls, plain.username) == (2525, False, None)


def test_mail_settings(tmp_path: Any) -> None:
    base = {"DRAFTROOM_DATA_DIR": str(tmp_path)}
    assert load_settings({**base}).dev_mailbox is True
    assert load_settings({**base, "DRAFTROOM_ENV": "test"}).dev_mailbox is False
    with_smtp = load_settings({**base, "DRAFTROOM_SMTP_URL": "smtp://relay:25"})
    assert with_smtp.dev_mailbox is False and with_smtp.smtp_url == "smtp://relay:25"
    with pytest.raises(ConfigError, match="DRAFTROOM_SMTP_URL"):
        load_settings({**base, "DRAFTROOM_SMTP_URL": "http://relay"})
    with pytest.raises(ConfigError, match="DRAFTROOM_DEV_MAILBOX"):
        load_settings(
            {
                **base,
                "DRAFTROOM_ENV": "production",
                "DRAFTROOM_DEV_MAILBOX": "1",
                "DRAFTROOM_SECRET_KEY": "k" * 40,
            }
        )
    site = load_settings({**base, "DRAFTROOM_PUBLIC_URL": "https://draft.example/"})
    assert site.site_url == "https://draft.example"
    assert load_settings({**base, "DRAFTROOM_PORT": "8123"}).site_url == "http://127.0.0.1:8123"
