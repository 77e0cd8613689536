"""The ACS's records: who may call it, which cards it serves, each authentication, and the
outbox of results owed to the Directory Servers. State changes live in `acs/services.py`."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from acs.fields import MinorUnitsField
from portal.fields import EncryptedTextField
from portal.models import Card
from portal.otp_devices import HashedSmsDevice


class DirectoryServer(models.Model):
    """A card scheme's Directory Server allowed to post AReqs (identified by its TLS client certificate)."""

    # A context: a bare "name" would replace Django's own Japanese for every model's "name".
    name = models.CharField(pgettext_lazy("directory server", "name"), max_length=64)
    brand = models.CharField(_("brand"), max_length=12, choices=Card.Brand.choices)
    client_subject = models.CharField(
        _("client certificate subject"),
        max_length=512,
        unique=True,
        help_text=_("Subject DN of the DS's TLS client certificate, as the proxy passes it."),
    )
    is_active = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("Directory Server")
        verbose_name_plural = _("Directory Servers")

    def __str__(self) -> str:
        return self.name


class CardRange(models.Model):
    """A range of card numbers this ACS serves: a PAN is in range when its first digits fall within."""

    low = models.CharField(
        _("range start"),
        max_length=19,
        help_text=_("First card-number prefix of the range (6 to 19 digits)."),
    )
    high = models.CharField(
        _("range end"), max_length=19, help_text=_("Last prefix, same length as the first.")
    )
    brand = models.CharField(_("brand"), max_length=12, choices=Card.Brand.choices)
    is_active = models.BooleanField(_("enabled"), default=True)
    description = models.CharField(_("description"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("card range")
        verbose_name_plural = _("card ranges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="card_range_low_le_high"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.low}-{self.high} ({self.brand})"

    def contains(self, pan: str) -> bool:
        return self.low <= pan[: len(self.low)] <= self.high


class Transaction(models.Model):
    """One authentication, from the AReq to the delivered result."""

    class State(models.TextChoices):
        ANSWERED = "answered", _("Answered without challenge")
        AWAITING_CREQ = "awaiting_creq", _("Challenge offered, waiting for the CReq")
        CHALLENGING = "challenging", _("Challenge in progress")
        COMPLETED = "completed", _("Challenge completed")
        ENDED_BY_DS = "ended_by_ds", _("Challenge ended by an error message from the DS")

    acs_trans_id = models.UUIDField(_("ACS transaction ID"), default=uuid.uuid4, unique=True, editable=False)
    three_ds_server_trans_id = models.UUIDField(_("3DS Server transaction ID"), unique=True)
    ds_trans_id = models.UUIDField(_("DS transaction ID"), unique=True)
    ds_reference_number = models.CharField(_("DS reference number"), max_length=32)
    ds_url = models.URLField(_("DS URL"), max_length=2048)
    # No index: only deleting a Directory Server looks its transactions up (a rare admin action).
    directory_server = models.ForeignKey(
        DirectoryServer,
        verbose_name=_("Directory Server"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    message_version = models.CharField(_("message version"), max_length=8)
    message_category = models.CharField(_("message category"), max_length=2)
    device_channel = models.CharField(_("device channel"), max_length=2)

    card = models.ForeignKey(
        Card,
        verbose_name=_("card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
        db_index=False,
    )
    pan_fingerprint = models.CharField(_("card number fingerprint"), max_length=64)
    masked_pan = models.CharField(_("card number"), max_length=24)
    brand = models.CharField(_("brand"), max_length=12, choices=Card.Brand.choices)

    purchase_amount = MinorUnitsField(_("purchase amount"), max_digits=48, decimal_places=0)
    purchase_currency = models.CharField(_("purchase currency"), max_length=3)
    purchase_exponent = models.PositiveSmallIntegerField(_("currency exponent"))
    purchase_date = models.DateTimeField(_("purchase date"), null=True, blank=True)
    merchant_name = models.CharField(_("merchant name"), max_length=40, blank=True)
    mcc = models.CharField(_("MCC"), max_length=4, blank=True)
    merchant_country = models.CharField(_("merchant country"), max_length=3, blank=True)
    acquirer_bin = models.CharField(_("acquirer BIN"), max_length=11, blank=True)
    acquirer_merchant_id = models.CharField(_("acquirer merchant ID"), max_length=35, blank=True)
    requestor_id = models.CharField(_("3DS Requestor ID"), max_length=35)
    requestor_name = models.CharField(_("3DS Requestor name"), max_length=40)
    requestor_url = models.URLField(_("3DS Requestor URL"), max_length=2048)
    challenge_indicators = models.CharField(_("challenge indicator"), max_length=8, blank=True)
    notification_url = models.URLField(_("notification URL"), max_length=256)

    browser_language = models.CharField(_("browser language"), max_length=35, blank=True)
    browser_user_agent = models.TextField(_("browser user agent"), blank=True)
    browser_ip = models.GenericIPAddressField(_("browser IP address"), null=True, blank=True)
    browser_accept_header = models.TextField(_("browser accept header"), blank=True)
    browser_screen = models.CharField(_("browser screen size"), max_length=16, blank=True)
    browser_tz = models.CharField(_("browser time zone"), max_length=5, blank=True)
    browser_javascript_enabled = models.BooleanField(_("browser JavaScript enabled"), null=True)
    three_ds_comp_ind = models.CharField(_("3DS Method completion indicator"), max_length=1, blank=True)

    state = models.CharField(_("processing state"), max_length=16, choices=State.choices)
    trans_status = models.CharField(_("transaction status"), max_length=1)
    trans_status_reason = models.CharField(_("transaction status reason"), max_length=2, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("risk score"), default=0)
    risk_reasons = models.JSONField(_("risk reasons"), default=list, blank=True)
    eci = models.CharField(_("ECI"), max_length=2, blank=True)
    authentication_value = EncryptedTextField(
        verbose_name=_("authentication value"), purpose="transaction.authentication_value", blank=True
    )
    authentication_type = models.CharField(_("authentication type"), max_length=2, blank=True)
    acs_challenge_mandated = models.BooleanField(_("ACS challenge mandated"), default=False)
    # The last Erro a DS sent about this transaction, e.g. 402 when the ARes reached it too late.
    ds_error_code = models.CharField(_("DS error code"), max_length=3, blank=True)
    ds_error_description = models.TextField(_("DS error description"), blank=True)
    ds_error_detail = models.TextField(_("DS error detail"), blank=True)

    # Challenge (browser): window, timers, counters; the OTP itself lives in a django-otp device.
    challenge_window_size = models.CharField(_("challenge window size"), max_length=2, blank=True)
    interaction_counter = models.PositiveSmallIntegerField(_("interaction counter"), default=0)
    challenge_cancel = models.CharField(_("challenge cancelation indicator"), max_length=2, blank=True)
    three_ds_session_data = models.TextField(_("3DS session data"), blank=True)
    creq_digest = models.CharField(
        _("CReq digest"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the first CReq, to tell a reload."),
    )
    challenge_step = models.PositiveIntegerField(
        _("challenge step"), default=0, help_text=_("Bumped on every page served: old forms are refused.")
    )
    creq_received_at = models.DateTimeField(_("CReq received at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        indexes = [
            # Every index is written by every AReq, so there are only those a look-up needs. The
            # sweeps' indexes hold only the few open challenges (partial), and the card's index
            # serves its foreign key too. An explicit Index, unlike db_index, adds no LIKE index.
            models.Index(
                fields=["created_at"], name="acs_txn_awaiting_creq", condition=models.Q(state="awaiting_creq")
            ),
            models.Index(
                fields=["last_activity_at"],
                name="acs_txn_challenging",
                condition=models.Q(state="challenging"),
            ),
            models.Index(fields=["card", "-created_at"], name="acs_txn_card_recent"),
            models.Index(fields=["pan_fingerprint"], name="acs_txn_pan_fingerprint"),
        ]

    def __str__(self) -> str:
        return str(self.acs_trans_id)

    def erro(self, code: str, detail: str, *, message_type: str | None) -> dict[str, Any]:
        """An Erro about this transaction, in its version, carrying its IDs."""
        from acs import protocol

        error = protocol.ProtocolError(code, detail, message_type=message_type, ids=self.message_ids)
        return protocol.build_erro(error, version=self.message_version)

    @property
    def message_ids(self) -> dict[str, str]:
        """The three IDs every later message about this transaction carries (an Erro among them)."""
        return {
            "threeDSServerTransID": str(self.three_ds_server_trans_id),
            "acsTransID": str(self.acs_trans_id),
            "dsTransID": str(self.ds_trans_id),
        }


class ResultDelivery(models.Model):
    """The durable outbox of RReqs: written with the final status, emptied by the sender."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        REFUSED = "refused", _("Answered with an Erro")
        INVALID = "invalid", _("Invalid reply from the DS")

    transaction = models.OneToOneField(
        Transaction, verbose_name=_("transaction"), on_delete=models.CASCADE, related_name="delivery"
    )
    # The authentication value is a bearer credential: it stays encrypted in the transaction and
    # is added to the RReq only as it is sent.
    payload = models.JSONField(
        _("RReq payload"),
        help_text=_("Without the authentication value, which is sent from the transaction."),
    )
    status = models.CharField(
        _("delivery status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    response = models.JSONField(_("RRes response"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result delivery (RReq)")
        verbose_name_plural = _("result deliveries (RReq)")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="acs_delivery_due")]

    def __str__(self) -> str:
        return f"RReq for {self.transaction_id}: {self.status}"


class ChallengeOtpDevice(HashedSmsDevice):
    """The SMS one-time password of one challenge, bound to its transaction."""

    transaction = models.OneToOneField(
        Transaction, verbose_name=_("transaction"), on_delete=models.CASCADE, related_name="otp_device"
    )

    class Meta:
        verbose_name = _("challenge OTP device")
        verbose_name_plural = _("challenge OTP devices")

    def binding(self) -> str:
        return f"txn:{self.transaction_id}"
