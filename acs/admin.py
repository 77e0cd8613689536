"""Support staff's view of the ACS: configuration is editable, evidence is read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

import riskanalysis
from acs import presentation
from acs.models import CardRange, DirectoryServer, ResultDelivery, Transaction
from config.readonly_admin import ReadOnlyAdmin
from riskanalysis.admin import assessment_html
from riskanalysis.pseudonym import ip_prefix


@admin.register(DirectoryServer)
class DirectoryServerAdmin(admin.ModelAdmin):
    list_display = ["name", "brand", "client_subject", "is_active"]
    list_filter = ["brand", "is_active"]


@admin.register(CardRange)
class CardRangeAdmin(admin.ModelAdmin):
    list_display = ["low", "high", "brand", "is_active", "description"]
    list_filter = ["brand", "is_active"]
    search_fields = ["low", "high", "description"]


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
    # The browser IP is personal data: staff see its network (/24 or /48) only.
    exclude = ["authentication_value", "pan_fingerprint", "card", "risk_reasons", "browser_ip"]
    readonly_fields = ["browser_network", "risk_assessment"]
    inlines = [DeliveryInline]
    actions = ["report_fraud"]

    @admin.display(description=_("browser network"))
    def browser_network(self, txn: Transaction) -> str:
        return ip_prefix(txn.browser_ip) if txn.browser_ip else "-"

    @admin.display(description=_("risk assessment"))
    def risk_assessment(self, txn: Transaction) -> SafeString:
        return assessment_html(txn.acs_trans_id)

    @admin.action(description=_("Report the selected transactions as fraud"), permissions=["report_fraud"])
    def report_fraud(self, request: HttpRequest, queryset: QuerySet[Transaction]) -> None:
        count = 0
        for txn in queryset:
            # Also for a card the issuer has no record of: the mark is kept by PAN fingerprint.
            riskanalysis.fraud_mark(
                pan_fingerprint=txn.pan_fingerprint, acs_trans_id=txn.acs_trans_id, source="support"
            )
            count += 1
        self.message_user(
            request, _("%(count)d transaction(s) reported as fraud.") % {"count": count}, messages.SUCCESS
        )

    def has_report_fraud_permission(self, request: HttpRequest) -> bool:
        # A fraud mark makes every later AReq on the card a challenge or a reject: staff who may
        # only look at transactions may not set one.
        return request.user.has_perm("riskanalysis.add_fraudmark")

    @admin.display(description=_("amount"))
    def amount(self, txn: Transaction) -> str:
        return presentation.format_amount(txn.purchase_amount, txn.purchase_currency, txn.purchase_exponent)


@admin.register(ResultDelivery)
class ResultDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["transaction", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    list_select_related = ["transaction"]
