"""Risk signals kept for analysis: pseudonymised, and purged after the retention period."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from riskanalysis.decision import Outcome
from riskanalysis.history import Kind

# Labels of the stored codes, for the admin (the values are the engine's, unchanged).
OUTCOME_CHOICES = [
    (Outcome.FRICTIONLESS.value, _("frictionless (no challenge)")),
    (Outcome.CHALLENGE.value, _("challenge")),
    (Outcome.REJECT.value, _("reject")),
]
KIND_LABELS = {
    Kind.DEVICE_ID: _("3DS Method device id"),
    Kind.FINGERPRINT: _("browser fingerprint (3DS Method)"),
    Kind.BROWSER: _("browser (AReq browser data)"),
    Kind.BROWSER_NET: _("browser and network"),
    Kind.IP_PREFIX: _("IP address (its /24 or /48)"),
    Kind.SHIP_ADDR: _("shipping address"),
    Kind.EMAIL: _("e-mail address"),
    Kind.PHONE: _("phone number"),
    Kind.MERCHANT: _("merchant"),
}
SIGNAL_KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]
DENY_KIND_CHOICES = [
    (kind.value, KIND_LABELS[kind]) for kind in (Kind.DEVICE_ID, Kind.FINGERPRINT, Kind.IP_PREFIX)
]


class DeviceProfile(models.Model):
    """What the 3DS Method page learnt about one browser, keyed by the 3DS Server's transaction.

    The AReq carries the same threeDSServerTransID, which is how the assessment finds this row.
    Identifiers are stored only as keyed HMACs (riskanalysis.pseudonym): the raw device id and
    the client IP never reach the database.
    """

    three_ds_server_trans_id = models.UUIDField(_("3DS Server transaction ID"), unique=True)
    device_id_hash = models.CharField(_("device ID pseudonym"), max_length=64, blank=True)
    fingerprint_hash = models.CharField(_("fingerprint pseudonym"), max_length=64)
    ip_prefix_hash = models.CharField(_("IP prefix pseudonym"), max_length=64, blank=True)
    timezone_offset = models.SmallIntegerField(_("time zone offset (minutes)"))
    timezone_name = models.CharField(_("time zone"), max_length=64, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    platform = models.CharField(_("platform"), max_length=64, blank=True)
    screen = models.CharField(_("screen"), max_length=16)
    color_depth = models.PositiveSmallIntegerField(_("colour depth"))
    hardware_concurrency = models.PositiveSmallIntegerField(_("CPU cores"), null=True, blank=True)
    touch_points = models.PositiveSmallIntegerField(_("touch points"), default=0)
    storage_available = models.BooleanField(_("storage available"), default=False)
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("device profile")
        verbose_name_plural = _("device profiles")
        ordering = ["-collected_at"]

    def __str__(self) -> str:
        return (
            f"{self.three_ds_server_trans_id} ({self.screen}, {self.timezone_name or self.timezone_offset})"
        )


# --- Pseudonymised history -------------------------------------------------------------------
#
# Every identifier below is a keyed HMAC (riskanalysis.signals.key: 128 bits of
# HMAC-SHA256 under RISK_PSEUDONYM_KEY, hex): the raw PAN, e-mail, phone, address, IP address
# and device id never reach these tables. 32 hex characters keep the indexes of tens of millions
# of rows small while collisions stay out of reach (2^64 values before one is likely).

KEY_LENGTH = 32


class Assessment(models.Model):
    """One risk decision, kept as evidence and as the event log that velocity is counted on."""

    class ChallengeResult(models.TextChoices):
        NONE = "", _("no challenge")
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        ABANDONED = "abandoned", _("abandoned")

    acs_trans_id = models.UUIDField(_("ACS transaction ID"), unique=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    card_key = models.CharField(_("card pseudonym"), max_length=KEY_LENGTH)
    device_key = models.CharField(_("device pseudonym"), max_length=KEY_LENGTH, blank=True)
    ip_key = models.CharField(_("IP prefix pseudonym"), max_length=KEY_LENGTH, blank=True)
    # The pseudonyms this authentication presented, [kind, key] pairs: a passed challenge makes
    # them trusted for the card.
    signal_keys = models.JSONField(_("signal pseudonyms"), default=list, blank=True)
    amount_yen = models.BigIntegerField(_("amount (yen)"), null=True, blank=True)
    mcc = models.CharField(_("MCC"), max_length=4, blank=True)
    merchant_country = models.CharField(_("merchant country"), max_length=3, blank=True)
    ip_country = models.CharField(_("IP country"), max_length=2, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=OUTCOME_CHOICES)
    score = models.SmallIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    ruleset_version = models.PositiveIntegerField(_("rule set version"), default=0)
    shadow_outcome = models.CharField(_("shadow outcome"), max_length=12, choices=OUTCOME_CHOICES, blank=True)
    shadow_score = models.SmallIntegerField(_("shadow score"), null=True, blank=True)
    shadow_reasons = models.JSONField(_("shadow reasons"), default=list, blank=True)
    provider = models.CharField(_("provider"), max_length=32, default="internal")
    elapsed_us = models.PositiveIntegerField(_("assess time (µs)"), default=0)
    challenge_result = models.CharField(
        _("challenge result"), max_length=10, choices=ChallengeResult.choices, blank=True
    )

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-created_at"]
        indexes = [
            # Velocity: the recent authentications of a card, a device, a network.
            models.Index(fields=["card_key", "created_at"], name="risk_assess_card_at"),
            models.Index(
                fields=["device_key", "created_at"],
                name="risk_assess_device_at",
                condition=~models.Q(device_key=""),
            ),
            models.Index(
                fields=["ip_key", "created_at"], name="risk_assess_ip_at", condition=~models.Q(ip_key="")
            ),
            models.Index(fields=["created_at"], name="risk_assess_at"),  # retention purge
        ]

    def __str__(self) -> str:
        return f"{self.acs_trans_id}: {self.get_outcome_display()} ({self.score})"


class CardProfile(models.Model):
    """One row per card: counters and the spread of its authenticated amounts."""

    card_key = models.CharField(_("card pseudonym"), max_length=KEY_LENGTH, primary_key=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    auths = models.PositiveIntegerField(_("authentications"), default=0)
    trusted_auths = models.PositiveIntegerField(_("authenticated"), default=0)
    # Log-yen amounts of authenticated purchases: count, sum, sum of squares, maximum.
    amount_n = models.PositiveIntegerField(_("authenticated amounts counted"), default=0)
    amount_log_sum = models.FloatField(_("sum of log amounts"), default=0.0)
    amount_log_sq = models.FloatField(_("sum of squared log amounts"), default=0.0)
    amount_max_yen = models.BigIntegerField(_("largest authenticated amount (yen)"), default=0)
    fraud_marks = models.PositiveIntegerField(_("fraud marks"), default=0)
    last_fraud_at = models.DateTimeField(_("last fraud mark"), null=True, blank=True)
    challenge_failures = models.PositiveIntegerField(_("failed challenges since the last pass"), default=0)
    last_challenge_failed_at = models.DateTimeField(_("last failed challenge"), null=True, blank=True)
    last_challenge_passed_at = models.DateTimeField(_("last passed challenge"), null=True, blank=True)

    class Meta:
        verbose_name = _("card risk profile")
        verbose_name_plural = _("card risk profiles")

    def __str__(self) -> str:
        return self.card_key


class CardSignal(models.Model):
    """A value a card was seen with (a device, a network, an address, ...), counted.

    Read both ways: by card (was this device seen with this card?) and by value (how many
    cards did this device see in the last hour?), each through its own index.
    """

    card_key = models.CharField(_("card pseudonym"), max_length=KEY_LENGTH)
    kind = models.CharField(_("kind"), max_length=12, choices=SIGNAL_KIND_CHOICES)
    value_key = models.CharField(_("value pseudonym"), max_length=KEY_LENGTH)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    count = models.PositiveIntegerField(_("seen"), default=1)
    trusted = models.PositiveIntegerField(_("in authenticated transactions"), default=0)

    class Meta:
        verbose_name = _("card signal")
        verbose_name_plural = _("card signals")
        constraints = [
            models.UniqueConstraint(fields=["card_key", "value_key"], name="risk_signal_card_value")
        ]
        indexes = [
            # card_key in the key: counting another device's cards reads the index alone.
            models.Index(fields=["value_key", "last_seen", "card_key"], name="risk_signal_value_seen"),
            models.Index(fields=["last_seen"], name="risk_signal_seen"),  # retention purge
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_key[:8]}… × {self.count}"


class FraudMark(models.Model):
    """Fraud reported on a card: by the cardholder ("this wasn't me") or by support staff."""

    class Source(models.TextChoices):
        CARDHOLDER = "cardholder", _("cardholder (My Net+)")
        SUPPORT = "support", _("support staff")
        CHARGEBACK = "chargeback", _("chargeback")

    card_key = models.CharField(_("card pseudonym"), max_length=KEY_LENGTH, db_index=True)
    acs_trans_id = models.UUIDField(_("ACS transaction ID"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("fraud mark")
        verbose_name_plural = _("fraud marks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d}"


class DenyEntry(models.Model):
    """A device or network refused outright (hard rule), by its pseudonym only."""

    kind = models.CharField(_("kind"), max_length=12, choices=DENY_KIND_CHOICES)
    value_key = models.CharField(_("value pseudonym"), max_length=KEY_LENGTH, unique=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    created_by = models.CharField(_("by"), max_length=150, blank=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("deny-list entry")
        verbose_name_plural = _("deny list")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value_key[:8]}…"


# --- Rule sets --------------------------------------------------------------------------------


class RuleSet(models.Model):
    """A versioned configuration of the engine: thresholds, parameters, and each rule's mode.

    Only a draft is edited; activating it retires the active one, so every assessment's
    `ruleset_version` names a configuration that never changed afterwards.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    challenge_at = models.PositiveSmallIntegerField(_("challenge at score"), default=50)
    challenge_at_when_exempt = models.PositiveSmallIntegerField(
        _("challenge at score (exemption asked)"), default=80
    )
    reject_at = models.PositiveSmallIntegerField(_("reject at score"), default=100)
    params = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_('Overrides of riskanalysis.rules.Params, e.g. {"burst_cards_per_device": 5}'),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.CharField(_("created by"), max_length=150, blank=True, editable=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="risk_ruleset_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.get_status_display()})"


class RuleConfig(models.Model):
    class Mode(models.TextChoices):
        ON = "on", _("on (applied)")
        SHADOW = "shadow", _("shadow (recorded, not applied)")
        OFF = "off", _("off")

    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.CharField(_("rule"), max_length=40)
    mode = models.CharField(_("mode"), max_length=6, choices=Mode.choices, default=Mode.ON)
    weight = models.SmallIntegerField(_("weight"))

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        constraints = [models.UniqueConstraint(fields=["ruleset", "code"], name="risk_ruleconfig_unique")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.get_mode_display()} {self.weight}"
