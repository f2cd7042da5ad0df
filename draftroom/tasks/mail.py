"""Mail job: every minute, send the outbox through SMTP when ``DRAFTROOM_SMTP_URL`` is set."""

from __future__ import annotations

from draftroom.services import outbox
from draftroom.services.smtp import SmtpSender
from draftroom.tasks.broker import RuntimeDep, broker


@broker.task(task_name="draftroom.mail_send_outbox", schedule=[{"cron": "* * * * *"}])
async def send_outbox(rt: RuntimeDep) -> dict[str, int]:
    """Deliver the due mails; without SMTP nothing is sent (development reads the mailbox)."""
    settings = rt.settings
    if not settings.smtp_url:
        return {"sent": 0, "failed": 0}
    return await outbox.deliver_pending(SmtpSender.from_url(settings.smtp_url, settings.mail_from))
