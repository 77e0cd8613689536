"""Support staff's view of cards, accounts and enrolments: never a full PAN, phones masked."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal import masking
from portal.models import Card, FraudReport, Member, ThreeDSEnrolment


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["masked_pan", "brand", "status", "expiry", "account_id", "updated_at"]
    list_filter = ["brand", "status"]
    search_fields = ["last4", "account__username", "account__email", "customer_ref"]
    # The PAN and contact fields are never rendered, not even as ciphertext.
    fields = [
        "masked_pan",
        "brand",
        "status",
        "expiry",
        "customer_ref",
        "cardholder_name",
        "date_of_birth",
        "masked_email",
        "masked_mobile",
        "replaced_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = [
        "masked_pan",
        "brand",
        "expiry",
        "customer_ref",
        "masked_email",
        "masked_mobile",
        "replaced_by",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["account"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Cards come from the issuer's card file (import_cards), not from hand entry.

    @admin.display(description=_("card number"))
    def masked_pan(self, card: Card) -> str:
        return card.masked_pan

    @admin.display(description=_("expiry"))
    def expiry(self, card: Card) -> str:
        return f"{card.expiry_month:02d}/{card.expiry_year % 100:02d}"

    @admin.display(description=_("My Net+ ID"))
    def account_id(self, card: Card) -> str:
        account = getattr(card, "account", None)
        return account.username if account else "-"

    @admin.display(description=_("registered e-mail"))
    def masked_email(self, card: Card) -> str:
        return masking.mask_email(card.email)

    @admin.display(description=_("registered mobile"))
    def masked_mobile(self, card: Card) -> str:
        return masking.mask_phone(card.mobile)


class EnrolmentInline(admin.StackedInline):
    model = ThreeDSEnrolment
    fields = ["method", "masked_mobile", "enrolled_at", "updated_at"]
    readonly_fields = ["masked_mobile", "enrolled_at", "updated_at"]
    can_delete = False
    extra = 0

    @admin.display(description=_("verified mobile"))
    def masked_mobile(self, enrolment: ThreeDSEnrolment) -> str:
        return masking.mask_phone(enrolment.mobile)


@admin.register(Member)
class MemberAdmin(UserAdmin):
    list_display = [
        "username",
        "email",
        "card_masked",
        "is_locked",
        "failed_login_count",
        "is_staff",
        "last_login",
    ]
    list_filter = ["is_locked", "is_staff", "is_active", "must_change_password"]
    search_fields = ["username", "email", "card__last4"]
    list_select_related = ["card"]
    readonly_fields = ["card_masked", "failed_login_count", "locked_at", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("My Net+"), {"fields": ("card_masked", "email", "must_change_password")}),
        (_("Lockout"), {"fields": ("is_locked", "locked_at", "failed_login_count")}),
        (
            _("Staff"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [EnrolmentInline]
    actions = ["unlock_accounts"]

    @admin.display(description=_("card"))
    def card_masked(self, member: Member) -> str:
        return member.card.masked_pan if member.card else "-"

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        from portal.services.accounts import account_unlock

        count = 0
        for member in queryset:
            count += account_unlock(member=member)
        self.message_user(request, _("%(count)d account(s) unlocked.") % {"count": count}, messages.SUCCESS)


@admin.register(ThreeDSEnrolment)
class ThreeDSEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["member", "method", "masked_mobile", "updated_at"]
    list_filter = ["method"]
    search_fields = ["member__username", "member__email", "member__card__last4"]
    list_select_related = ["member"]
    fields = ["member", "method", "masked_mobile", "enrolled_at", "updated_at"]
    readonly_fields = ["member", "masked_mobile", "enrolled_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("verified mobile"))
    def masked_mobile(self, enrolment: ThreeDSEnrolment) -> str:
        return masking.mask_phone(enrolment.mobile)


@admin.register(FraudReport)
class FraudReportAdmin(admin.ModelAdmin):
    """Members' "this wasn't me" reports; risk analysis already weighs them, staff follow up."""

    list_display = ["reported_at", "member", "card_masked", "acs_trans_id", "handled"]
    list_filter = ["handled"]
    search_fields = ["member__username", "=acs_trans_id", "card__last4"]
    list_select_related = ["member", "card"]
    fields = ["member", "card_masked", "acs_trans_id", "note", "reported_at", "handled"]
    readonly_fields = ["member", "card_masked", "acs_trans_id", "note", "reported_at"]
    actions = ["mark_handled"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("card"))
    def card_masked(self, report: FraudReport) -> str:
        return report.card.masked_pan

    @admin.action(description=_("Mark the selected reports as handled"))
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[FraudReport]) -> None:
        count = queryset.update(handled=True)
        self.message_user(
            request, _("%(count)d report(s) marked as handled.") % {"count": count}, messages.SUCCESS
        )


import portal.sms.admin  # noqa: E402,F401
