"""An e-mail backend for demos: print each message like the console backend, and keep it for /sandbox/mail."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from sandbox.models import SandboxMail


def _html_of(message: EmailMessage) -> str:
    if isinstance(message, EmailMultiAlternatives):
        for alternative in message.alternatives:
            content, mimetype = alternative[0], alternative[1]
            if mimetype == "text/html":
                if isinstance(content, bytes):
                    return content.decode("utf-8", "replace")
                return str(content)
    if message.content_subtype == "html":
        return str(message.body)
    return ""


def _attachment_names(message: EmailMessage) -> list[str]:
    names = []
    for attachment in message.attachments:
        # An EmailAttachment(filename, content, mimetype), or a MIME part attached as is.
        filename = attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
        names.append(str(filename or "(inline)"))
    return names


def mail_store(message: EmailMessage) -> SandboxMail:
    """Keep one message for the sandbox mailbox."""
    html = _html_of(message)
    return SandboxMail.objects.create(
        from_email=str(message.from_email or ""),
        to=", ".join([*message.to, *message.cc, *message.bcc]),
        subject=str(message.subject)[:998],
        body="" if message.content_subtype == "html" else str(message.body),
        html=html,
        attachments=_attachment_names(message),
    )


class SandboxMailboxBackend(ConsoleBackend):
    """Console output plus a `SandboxMail` row per message (demo settings only)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        sent = super().send_messages(email_messages)
        stored = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                mail_store(message)
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            stored += 1
        return max(sent, stored)
