"""Support staff's view of risk signals: evidence, so read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from riskanalysis.models import DeviceProfile


@admin.register(DeviceProfile)
class DeviceProfileAdmin(admin.ModelAdmin):
    list_display = [
        "collected_at",
        "three_ds_server_trans_id",
        "screen",
        "timezone_name",
        "languages",
        "platform",
    ]
    list_filter = ["timezone_name", "platform", "storage_available"]
    search_fields = ["=three_ds_server_trans_id", "=device_id_hash", "=fingerprint_hash"]
    date_hierarchy = "collected_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
