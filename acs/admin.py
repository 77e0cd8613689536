"""Support staff's view of the ACS: configuration is editable, evidence is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from acs.models import CardRange, DirectoryServer, ResultDelivery, Transaction


@admin.register(DirectoryServer)
class DirectoryServerAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "client_subject", "is_active"]
    list_filter = ["brand", "is_active"]


@admin.register(CardRange)
class CardRangeAdmin(admin.ModelAdmin):
    list_display = ["low", "high", "brand", "is_active", "description"]
    list_filter = ["brand", "is_active"]
    search_fields = ["low", "high", "description"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.StackedInline):
    model = ResultDelivery
    fields = ("status", "attempts", "next_attempt_at", "last_error", "response", "delivered_at")
    readonly_fields = fields
    can_delete = False
    extra = 0


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "masked_pan",
        "merchant_name",
        "amount",
        "trans_status",
        "trans_status_reason",
        "state",
        "risk_score",
    ]
    list_filter = ["trans_status", "state", "brand", "message_version"]
    search_fields = [
        "=acs_trans_id",
        "=ds_trans_id",
        "=three_ds_server_trans_id",
        "card__last4",
        "card__account__username",
        "merchant_name",
    ]
    list_select_related = ["card"]
    date_hierarchy = "created_at"
    # The authentication value is a bearer credential at authorisation: it is never displayed.
    exclude = ["authentication_value", "pan_fingerprint", "card"]
    inlines = [DeliveryInline]

    @admin.display(description=_("amount"))
    def amount(self, txn: Transaction) -> str:
        major = txn.purchase_amount / (10**txn.purchase_exponent)
        return f"{major:,.{txn.purchase_exponent}f} ({txn.purchase_currency})"


@admin.register(ResultDelivery)
class ResultDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["transaction", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    list_select_related = ["transaction"]
