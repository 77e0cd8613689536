"""Every SMS the product sends or refuses to send, with its delivery status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField


class SmsMessage(models.Model):
    """One call of `sms_send`: what was sent, to whom (encrypted), and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Undelivered")
        FAILED = "failed", _("Failed")
        INVALID_NUMBER = "invalid_number", _("Invalid number")
        RATE_LIMITED = "rate_limited", _("Rate limited")
        CAPPED = "capped", _("Daily cap reached")

    # Handed over to the backend: the cardholder may receive it.
    DISPATCHED = frozenset({Status.QUEUED, Status.SENT, Status.DELIVERED})

    to_number = EncryptedTextField(
        verbose_name=_("phone number"), purpose="sms.to_number", help_text=_("E.164")
    )
    to_fingerprint = models.CharField(_("phone number fingerprint"), max_length=64, editable=False)
    # Kept by the outbox backend only (the sandbox phone inbox shows it); a real message's body
    # holds a live one-time password and is not stored.
    body = EncryptedTextField(verbose_name=_("message text"), purpose="sms.body", blank=True)
    purpose = models.CharField(_("purpose"), max_length=32)
    backend = models.CharField(_("sending backend"), max_length=16)
    status = models.CharField(
        _("delivery status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    provider_sid = models.CharField(_("provider message SID"), max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "portal"
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        # The daily cap counts one phone's messages of the last 24 hours.
        indexes = [models.Index(fields=["to_fingerprint", "created_at"], name="sms_phone_recent")]

    def __str__(self) -> str:
        return f"SMS {self.pk} ({self.purpose}): {self.status}"

    @property
    def dispatched(self) -> bool:
        """Return whether the message left us (queued at or accepted by the provider)."""
        return self.status in self.DISPATCHED
