"""Risk signals kept for analysis: pseudonymised, and purged after the retention period."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
