"""The ACS's records: who may call it, which cards it serves, each authentication, and the
outbox of results owed to the Directory Servers. State changes live in `acs/services.py`."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.fields import EncryptedTextField
from portal.models import Card
from portal.otp_devices import HashedSmsDevice


class DirectoryServer(models.Model):
    """A card scheme's Directory Server allowed to post AReqs (identified by its TLS client certificate)."""

    name = models.CharField(max_length=64)
    brand = models.CharField(max_length=12, choices=Card.Brand.choices)
    client_subject = models.CharField(
        max_length=512,
        unique=True,
        help_text=_("Subject DN of the DS's TLS client certificate, as the proxy passes it."),
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Directory Server")

    def __str__(self) -> str:
        return self.name


class CardRange(models.Model):
    """A range of card numbers this ACS serves: a PAN is in range when its first digits fall within."""

    low = models.CharField(
        max_length=19, help_text=_("First card-number prefix of the range (6 to 19 digits).")
    )
    high = models.CharField(max_length=19, help_text=_("Last prefix, same length as the first."))
    brand = models.CharField(max_length=12, choices=Card.Brand.choices)
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("card range")
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

    acs_trans_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    three_ds_server_trans_id = models.UUIDField(unique=True)
    ds_trans_id = models.UUIDField(unique=True)
    ds_reference_number = models.CharField(max_length=32)
    ds_url = models.URLField(max_length=2048)
    # No index: only deleting a Directory Server looks its transactions up (a rare admin action).
    directory_server = models.ForeignKey(
        DirectoryServer, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    message_version = models.CharField(max_length=8)
    message_category = models.CharField(max_length=2)
    device_channel = models.CharField(max_length=2)

    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions", db_index=False
    )
    pan_fingerprint = models.CharField(max_length=64)
    masked_pan = models.CharField(max_length=24)
    brand = models.CharField(max_length=12, choices=Card.Brand.choices)

    purchase_amount = models.DecimalField(max_digits=48, decimal_places=0)
    purchase_currency = models.CharField(max_length=3)
    purchase_exponent = models.PositiveSmallIntegerField()
    purchase_date = models.DateTimeField(null=True, blank=True)
    merchant_name = models.CharField(max_length=40, blank=True)
    mcc = models.CharField(max_length=4, blank=True)
    merchant_country = models.CharField(max_length=3, blank=True)
    acquirer_bin = models.CharField(max_length=11, blank=True)
    acquirer_merchant_id = models.CharField(max_length=35, blank=True)
    requestor_id = models.CharField(max_length=35)
    requestor_name = models.CharField(max_length=40)
    requestor_url = models.URLField(max_length=2048)
    challenge_indicators = models.CharField(max_length=8, blank=True)
    notification_url = models.URLField(max_length=256)

    browser_language = models.CharField(max_length=35, blank=True)
    browser_user_agent = models.TextField(blank=True)
    browser_ip = models.GenericIPAddressField(null=True, blank=True)
    browser_accept_header = models.TextField(blank=True)
    browser_screen = models.CharField(max_length=16, blank=True)
    browser_tz = models.CharField(max_length=5, blank=True)
    browser_javascript_enabled = models.BooleanField(null=True)
    three_ds_comp_ind = models.CharField(max_length=1, blank=True)

    state = models.CharField(max_length=16, choices=State.choices)
    trans_status = models.CharField(max_length=1)
    trans_status_reason = models.CharField(max_length=2, blank=True)
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_reasons = models.JSONField(default=list, blank=True)
    eci = models.CharField(max_length=2, blank=True)
    authentication_value = EncryptedTextField(purpose="transaction.authentication_value", blank=True)
    authentication_type = models.CharField(max_length=2, blank=True)
    acs_challenge_mandated = models.BooleanField(default=False)

    # Challenge (browser): window, timers, counters; the OTP itself lives in a django-otp device.
    challenge_window_size = models.CharField(max_length=2, blank=True)
    interaction_counter = models.PositiveSmallIntegerField(default=0)
    challenge_cancel = models.CharField(max_length=2, blank=True)
    three_ds_session_data = models.TextField(blank=True)
    creq_digest = models.CharField(
        max_length=64, blank=True, help_text=_("SHA-256 of the first CReq, to tell a reload.")
    )
    challenge_step = models.PositiveIntegerField(
        default=0, help_text=_("Bumped on every page served: old forms are refused.")
    )
    creq_received_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transaction")
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


class ResultDelivery(models.Model):
    """The durable outbox of RReqs: written with the final status, emptied by the sender."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        REFUSED = "refused", _("Answered with an Erro")

    transaction = models.OneToOneField(Transaction, on_delete=models.CASCADE, related_name="delivery")
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=500, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("result delivery (RReq)")
        verbose_name_plural = _("result deliveries (RReq)")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="acs_delivery_due")]

    def __str__(self) -> str:
        return f"RReq for {self.transaction_id}: {self.status}"


class ChallengeOtpDevice(HashedSmsDevice):
    """The SMS one-time password of one challenge, bound to its transaction."""

    transaction = models.OneToOneField(Transaction, on_delete=models.CASCADE, related_name="otp_device")

    class Meta:
        verbose_name = _("challenge OTP device")

    def binding(self) -> str:
        return f"txn:{self.transaction_id}"
