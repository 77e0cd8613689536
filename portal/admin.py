"""Support staff's view of cards, accounts and enrolments: never a full PAN, phones masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from portal import masking
from portal.models import Card, FraudReport, Member, ThreeDSEnrolment
from portal.views.common import refuse_over_rate

# Only a superuser grants staff status or permissions, to others or to themselves.
PRIVILEGE_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's log-in form: over the per-IP limit (config.urls), refused before any password check."""

    def clean(self) -> dict[str, Any]:
        if self.request is not None:
            refuse_over_rate(self.request, self)
        if self.errors:
            return self.cleaned_data  # no password check for a refused or incomplete form
        return super().clean()


admin.site.login_form = StaffLoginForm


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
    # The method changes only in My Net+, where switching to SMS OTP verifies the phone first.
    readonly_fields = ["method", "masked_mobile", "enrolled_at", "updated_at"]
    can_delete = False
    extra = 0

    @admin.display(description=_("verified mobile"))
    def masked_mobile(self, enrolment: ThreeDSEnrolment) -> str:
        return masking.mask_phone(enrolment.mobile)


def _may_manage(request: HttpRequest, member: Member | None) -> bool:
    """Another staff account is changed, deleted or unlocked by superusers only: an agent who could
    set another agent's password would take over that agent's permissions."""
    if member is None or not (member.is_staff or member.is_superuser) or request.user.is_superuser:
        return True
    return member.pk == request.user.pk  # their own name and e-mail; privileges stay read-only


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
    # A lock is lifted with the unlock action only, which also resets the failure count.
    readonly_fields = [
        "card_masked",
        "is_locked",
        "failed_login_count",
        "locked_at",
        "last_login",
        "date_joined",
    ]
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.card_id is not None:
            # "Forgot your password?" mails a temporary password to this address: whoever could
            # change it could take the account over. The cardholder changes it in My Net+.
            readonly.append("email")
        return readonly if request.user.is_superuser else readonly + PRIVILEGE_FIELDS

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.card_id is None:
            return fieldsets
        # No link to the set-password page, which refuses cardholders (user_change_password).
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and _may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and _may_manage(request, obj)

    @method_decorator(sensitive_post_parameters("password1", "password2"))
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Whoever sets a cardholder's password can pass their challenges with it. The cardholder
        # gets a temporary password by e-mail with My Net+'s "Forgot your password?" instead.
        member = self.get_object(request, unquote(id))
        if member is not None and member.card_id is not None:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @admin.display(description=_("card"))
    def card_masked(self, member: Member) -> str:
        return member.card.masked_pan if member.card else "-"

    @admin.action(description=_("Unlock the selected accounts"), permissions=["change"])
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        from portal.services.accounts import account_unlock

        count = 0
        for member in queryset:
            if _may_manage(request, member):
                count += account_unlock(member=member)
        self.message_user(request, _("%(count)d account(s) unlocked.") % {"count": count}, messages.SUCCESS)


@admin.register(ThreeDSEnrolment)
class ThreeDSEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["member", "method", "masked_mobile", "updated_at"]
    list_filter = ["method"]
    search_fields = ["member__username", "member__email", "member__card__last4"]
    list_select_related = ["member"]
    fields = ["member", "method", "masked_mobile", "enrolled_at", "updated_at"]
    # The method changes only in My Net+, where switching to SMS OTP verifies the phone first.
    readonly_fields = ["member", "method", "masked_mobile", "enrolled_at", "updated_at"]

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

    @admin.action(description=_("Mark the selected reports as handled"), permissions=["change"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[FraudReport]) -> None:
        count = queryset.update(handled=True)
        self.message_user(
            request, _("%(count)d report(s) marked as handled.") % {"count": count}, messages.SUCCESS
        )


import portal.sms.admin  # noqa: E402,F401
