"""Support staff's view of sent SMS: evidence, so read-only; the number masked, the body never shown."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.readonly_admin import ReadOnlyAdmin
from portal import masking
from portal.sms.models import SmsMessage
from portal.sms.numbers import normalise, phone_fingerprint

# Never the body (it may hold a live one-time password), nor the number in clear.
_SHOWN = (
    "masked_number",
    "purpose",
    "backend",
    "status",
    "error_code",
    "provider_sid",
    "created_at",
    "updated_at",
)


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "masked_number", "purpose", "status", "backend", "error_code"]
    list_filter = ["status", "purpose", "backend"]
    date_hierarchy = "created_at"
    search_fields = ["provider_sid"]
    search_help_text = _("A phone number or a Twilio message SID.")
    fields = readonly_fields = _SHOWN

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[SmsMessage], search_term: str
    ) -> tuple[QuerySet[SmsMessage], bool]:
        # The number is encrypted: a phone is found through its fingerprint.
        number = normalise(search_term) if search_term.strip() else None
        if number is not None and not search_term.strip().upper().startswith("SM"):
            return queryset.filter(to_fingerprint=phone_fingerprint(number)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("to"))
    def masked_number(self, message: SmsMessage) -> str:
        return masking.mask_phone(message.to_number)
