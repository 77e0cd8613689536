"""Reads of stored risk signals."""

from __future__ import annotations

import uuid

from riskanalysis.models import DeviceProfile


def device_profile_for(three_ds_server_trans_id: str | uuid.UUID) -> DeviceProfile | None:
    """Return the 3DS Method's device profile for a transaction, or None if none was collected."""
    try:
        key = uuid.UUID(str(three_ds_server_trans_id))
    except ValueError:
        return None
    return DeviceProfile.objects.filter(three_ds_server_trans_id=key).first()
