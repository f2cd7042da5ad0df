"""Sending mail over SMTP (aiosmtplib) from ``DRAFTROOM_SMTP_URL``.

``smtp://user:pass@host:587`` uses STARTTLS when the server offers it;
``smtps://host:465`` is TLS from the start; ``?insecure=1`` skips certificate checks
(a local relay with a self-signed certificate).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlparse

import aiosmtplib


@dataclass(frozen=True)
class SmtpSender:
    """Delivers mails through one SMTP server."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    validate_certs: bool = True
    timeout_s: float = 30

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpSender:
        """The sender for an ``smtp://`` or ``smtps://`` URL."""
        parts = urlparse(url)
        use_tls = parts.scheme == "smtps"
        query = parse_qs(parts.query)
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if use_tls else 25),
            sender=sender,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=use_tls,
            validate_certs=query.get("insecure", ["0"])[0] not in ("1", "true"),
        )

    async def send(self, to_address: str, subject: str, body: str) -> None:
        """Send one plain-text mail; raises aiosmtplib's errors on failure."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to_address
        message["Subject"] = subject
        message.set_content(body)
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            validate_certs=self.validate_certs,
            timeout=self.timeout_s,
        )
