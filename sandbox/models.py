"""What the sandbox's merchant, 3DS Server and Directory Server remember, and the captured mail."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoPurchase(models.Model):
    """One checkout at the sandbox merchant and every message of its authentication.

    Messages are kept as JSON for the result page; the AReq is stored with a masked acctNumber.
    """

    class Status(models.TextChoices):
        CREATED = "created", "Created"
        AREQ_SENT = "areq_sent", "AReq sent"
        ANSWERED = "answered", "Answered without a challenge"
        CHALLENGE = "challenge", "Challenge running"
        COMPLETED = "completed", "Challenge completed"
        FAILED = "failed", "Failed"

    class WindowSize(models.TextChoices):
        W01 = "01", "01 · 250×400"
        W02 = "02", "02 · 390×400"
        W03 = "03", "03 · 500×600"
        W04 = "04", "04 · 600×400"
        W05 = "05", "05 · full screen (iframe)"
        FULL_PAGE = "full", "full page (redirect)"

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The shopper's choices at the checkout.
    card_key = models.CharField(_("demo card"), max_length=32)
    masked_pan = models.CharField(_("card number"), max_length=32)
    amount = models.PositiveBigIntegerField(_("amount"), help_text="JPY")
    merchant_name = models.CharField(_("merchant name"), max_length=40)
    challenge_ind = models.CharField(_("challenge indicator"), max_length=2)
    message_version = models.CharField(_("message version"), max_length=5)
    window_size = models.CharField(_("challenge window size"), max_length=4, choices=WindowSize.choices)
    browser_language = models.CharField(_("browser language"), max_length=35)
    run_method = models.BooleanField(_("run the 3DS Method"), default=True)
    browser = models.JSONField(
        _("browser data"), default=dict, help_text="Browser data collected at the checkout"
    )

    # The 3DS Server's and the DS's view of the authentication.
    three_ds_server_trans_id = models.UUIDField(
        _("3DS Server transaction ID"), unique=True, default=uuid.uuid4, editable=False
    )
    ds_trans_id = models.UUIDField(_("DS transaction ID"), null=True, blank=True, unique=True)
    acs_trans_id = models.UUIDField(_("ACS transaction ID"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("purchase status"), max_length=16, choices=Status.choices, default=Status.CREATED
    )
    three_ds_comp_ind = models.CharField(_("3DS Method completion indicator"), max_length=1, blank=True)
    error = models.TextField(_("error"), blank=True)

    method_done_at = models.DateTimeField(_("3DS Method completed at"), null=True, blank=True)
    method_ms = models.PositiveIntegerField(_("3DS Method time (ms)"), null=True, blank=True)
    areq = models.JSONField(_("AReq"), null=True, blank=True)
    areq_sent_at = models.DateTimeField(_("AReq sent at"), null=True, blank=True)
    ares = models.JSONField(_("ARes"), null=True, blank=True)
    ares_ms = models.PositiveIntegerField(_("ARes time (ms)"), null=True, blank=True)
    creq = models.JSONField(_("CReq"), null=True, blank=True)
    creq_sent_at = models.DateTimeField(_("CReq sent at"), null=True, blank=True)
    cres = models.JSONField(_("CRes"), null=True, blank=True)
    cres_received_at = models.DateTimeField(_("CRes received at"), null=True, blank=True)
    rreq = models.JSONField(_("RReq"), null=True, blank=True)
    rreq_received_at = models.DateTimeField(_("RReq received at"), null=True, blank=True)
    rres = models.JSONField(_("RRes"), null=True, blank=True)
    events = models.JSONField(_("events"), default=list, help_text="Status log: [ISO time, text] pairs")

    class Meta:
        verbose_name = _("demo purchase")
        verbose_name_plural = _("demo purchases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Demo purchase {self.id} ({self.status})"

    @property
    def amount_display(self) -> str:
        return f"¥{self.amount:,}"

    @property
    def challenged(self) -> bool:
        return (self.ares or {}).get("transStatus") == "C"

    @property
    def outcome(self) -> dict[str, Any]:
        """The message that carries the final result: the RReq after a challenge, else the ARes."""
        if self.challenged:
            return self.rreq or {}
        return self.ares or {}

    @property
    def trans_status(self) -> str:
        if self.challenged:
            if self.cres and self.cres.get("messageType") == "CRes":
                return str(self.cres.get("transStatus", ""))
            return str((self.rreq or {}).get("transStatus", ""))
        return str((self.ares or {}).get("transStatus", ""))

    @property
    def cres_is_erro(self) -> bool:
        return (self.cres or {}).get("messageType") == "Erro"

    @property
    def results_agree(self) -> bool | None:
        """Whether the RReq (via the DS) and the final CRes (via the browser) agree; None until both came."""
        if not self.rreq or not self.cres or self.cres_is_erro:
            return None
        return self.rreq.get("transStatus") == self.cres.get("transStatus")


class SandboxMail(models.Model):
    """One e-mail the product sent while the sandbox mailbox backend was in use."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=320)
    to = models.TextField(_("to"), help_text="Comma-separated recipients (To, Cc and Bcc)")
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("message text"), blank=True)
    html = models.TextField(_("HTML version"), blank=True, help_text="The text/html alternative, if any")
    attachments = models.JSONField(_("attachments"), default=list, help_text="File names of the attachments")

    class Meta:
        verbose_name = _("sandbox e-mail")
        verbose_name_plural = _("sandbox e-mails")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Mail {self.pk}: {self.subject}"
