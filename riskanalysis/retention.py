"""Delete risk data older than the retention period (RISK_RETENTION_DAYS, 180 days by default).

Deletes run in batches of primary keys, so that purging tens of millions of rows neither holds
long locks nor builds one huge transaction; each table is read through its time index.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from riskanalysis.models import Assessment, CardProfile, CardSignal, DenyEntry, DeviceProfile, FraudMark

BATCH = 10_000


def _delete_batched(queryset: models.QuerySet[models.Model]) -> int:
    deleted = 0
    while True:
        batch = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not batch:
            return deleted
        count, _ = queryset.model._default_manager.filter(pk__in=batch).delete()
        deleted += count


def risk_data_purge(*, now: dt.datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Delete what is older than the retention period; return the rows deleted per table."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.RISK_RETENTION_DAYS if days is None else days)
    return {
        "assessments": _delete_batched(Assessment.objects.filter(created_at__lt=cutoff)),
        "card_signals": _delete_batched(CardSignal.objects.filter(last_seen__lt=cutoff)),
        "card_profiles": _delete_batched(CardProfile.objects.filter(last_seen__lt=cutoff)),
        "fraud_marks": _delete_batched(FraudMark.objects.filter(created_at__lt=cutoff)),
        "device_profiles": _delete_batched(DeviceProfile.objects.filter(collected_at__lt=cutoff)),
        "deny_entries": _delete_batched(DenyEntry.objects.filter(expires_at__lt=now)),
    }
