"""Support and risk staff's view of risk analysis.

Evidence (device profiles, assessments, the pseudonymised history, fraud marks) is read-only
and shows pseudonyms, never raw personal data. Rule sets are edited as drafts and activated as
a whole, so every assessment's rule-set version names a configuration that never changed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.readonly_admin import ReadOnlyAdmin
from riskanalysis.engine import PROVIDER_REASONS, REQUESTOR_REASONS
from riskanalysis.history import Kind
from riskanalysis.models import (
    KEY_LENGTH,
    KIND_LABELS,
    Assessment,
    CardProfile,
    CardSignal,
    DenyEntry,
    DeviceProfile,
    FraudMark,
    RuleConfig,
    RuleSet,
)
from riskanalysis.provider import Failure
from riskanalysis.pseudonym import ip_prefix
from riskanalysis.rules import RULES
from riskanalysis.rulesets import params_problems, ruleset_activate, ruleset_create_draft
from riskanalysis.signals import key


@admin.register(DeviceProfile)
class DeviceProfileAdmin(ReadOnlyAdmin):
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


# The reasons the engine gives besides its rules: code -> (Japanese, English).
OTHER_REASON_TEXTS = {
    **{r.code: (r.text_ja, r.text_en) for r in REQUESTOR_REASONS.values()},
    **{code: (ja, en) for code, en, ja, _status_reason in PROVIDER_REASONS.values()},
}


def _reason_texts(code: str) -> tuple[str, str]:
    spec = RULES.get(code)
    if spec is not None:
        return spec.text_ja, spec.text_en
    return OTHER_REASON_TEXTS.get(code, ("", ""))


def _reasons_table(reasons: list[dict[str, Any]]) -> SafeString:
    if not reasons:
        return format_html("{}", "-")
    rows = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((r["code"], r["score"], *_reason_texts(r["code"])) for r in reasons),
    )
    return format_html(
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
        gettext("rule"),
        gettext("score"),
        gettext("Japanese"),
        gettext("English"),
        rows,
    )


# What an external provider's failure left to the internal rules (riskanalysis.provider.consult).
PROVIDER_FALLBACKS = {
    Failure.TIMEOUT: _("external risk service (%(name)s) timed out: internal rules decided"),
    Failure.ERROR: _("external risk service (%(name)s) failed: internal rules decided"),
    Failure.CIRCUIT_OPEN: _("external risk service (%(name)s) paused after failures: internal rules decided"),
}


def provider_label(provider: str) -> str:
    """Return what decided an assessment, for staff (`provider`: "internal", "http", "http_timeout"...)."""
    if provider == "internal":
        return gettext("internal rules")
    for failure, label in PROVIDER_FALLBACKS.items():
        if provider.endswith(f"_{failure}"):
            return str(label) % {"name": provider.removesuffix(f"_{failure}")}
    return gettext("external risk service (%(name)s)") % {"name": provider}


class ProviderFilter(admin.SimpleListFilter):
    title = _("provider")
    parameter_name = "provider"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        providers = Assessment.objects.order_by("provider").values_list("provider", flat=True).distinct()
        return [(provider, provider_label(provider)) for provider in providers]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(provider=self.value()) if self.value() else queryset


def assessment_html(acs_trans_id: uuid.UUID | str) -> SafeString:
    """Return the risk assessment of a transaction as HTML, for the ACS's transaction page."""
    assessment = Assessment.objects.filter(acs_trans_id=acs_trans_id).first()
    if assessment is None:
        return format_html("{}", "-")
    summary = gettext(
        "%(outcome)s · score %(score)s · rule set v%(version)s · %(provider)s · %(elapsed)s µs"
    ) % {
        "outcome": assessment.get_outcome_display(),
        "score": assessment.score,
        "version": assessment.ruleset_version,
        "provider": provider_label(assessment.provider),
        "elapsed": assessment.elapsed_us,
    }
    shadow = gettext("shadow: %(outcome)s (%(score)s)") % {
        "outcome": assessment.get_shadow_outcome_display() if assessment.shadow_outcome else "-",
        "score": assessment.shadow_score if assessment.shadow_score is not None else "-",
    }
    return format_html(
        "<p>{}</p>{}<p>{}</p>{}",
        summary,
        _reasons_table(assessment.reasons),
        shadow,
        _reasons_table(assessment.shadow_reasons),
    )


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "acs_trans_id",
        "outcome",
        "score",
        "ruleset_version",
        "shadow_outcome",
        "shadow_score",
        "provider_display",
        "challenge_result",
        "elapsed_us",
    ]
    list_filter = [
        "outcome",
        "shadow_outcome",
        "ruleset_version",
        ProviderFilter,
        "challenge_result",
        "ip_country",
    ]
    search_fields = ["=acs_trans_id", "=card_key", "=device_key"]
    date_hierarchy = "created_at"
    exclude = ["reasons", "shadow_reasons", "signal_keys"]
    readonly_fields = ["provider_display", "reasons_display", "shadow_reasons_display"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # The provider's label where the raw code would be.
        fields = [f for f in super().get_fields(request, obj) if f != "provider_display"]
        return ["provider_display" if f == "provider" else f for f in fields]

    @admin.display(description=_("provider"), ordering="provider")
    def provider_display(self, obj: Assessment) -> str:
        return provider_label(obj.provider)

    @admin.display(description=_("reasons"))
    def reasons_display(self, obj: Assessment) -> SafeString:
        return _reasons_table(obj.reasons)

    @admin.display(description=_("shadow reasons (recorded, not applied)"))
    def shadow_reasons_display(self, obj: Assessment) -> SafeString:
        return _reasons_table(obj.shadow_reasons)


@admin.register(CardProfile)
class CardProfileAdmin(ReadOnlyAdmin):
    list_display = ["card_key", "auths", "trusted_auths", "fraud_marks", "challenge_failures", "last_seen"]
    search_fields = ["=card_key"]


@admin.register(CardSignal)
class CardSignalAdmin(ReadOnlyAdmin):
    list_display = ["card_key", "kind", "value_key", "count", "trusted", "first_seen", "last_seen"]
    list_filter = ["kind"]
    search_fields = ["=card_key", "=value_key"]


@admin.register(FraudMark)
class FraudMarkAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "card_key", "acs_trans_id"]
    list_filter = ["source"]
    search_fields = ["=card_key", "=acs_trans_id"]


class DenyEntryForm(forms.ModelForm):
    """Take a raw device id or IP address, keep only its pseudonym."""

    KINDS = [
        (Kind.DEVICE_ID.value, KIND_LABELS[Kind.DEVICE_ID]),
        (Kind.IP_PREFIX.value, KIND_LABELS[Kind.IP_PREFIX]),
        # Staff paste the pseudonym a device profile shows: there is no raw value to hash.
        (Kind.FINGERPRINT.value, _("fingerprint pseudonym (from a device profile)")),
    ]
    kind = forms.ChoiceField(label=_("kind"), choices=KINDS)
    value = forms.CharField(
        label=_("value"), max_length=100, help_text=_("Not stored: only its pseudonym is.")
    )

    class Meta:
        model = DenyEntry
        fields = ["kind", "reason", "expires_at"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        try:
            if kind == Kind.DEVICE_ID:
                self.instance.value_key = key(Kind.DEVICE_ID, value.lower())
            elif kind == Kind.IP_PREFIX:
                self.instance.value_key = key(Kind.IP_PREFIX, ip_prefix(value))
            else:
                self.instance.value_key = value.lower()[:KEY_LENGTH]
        except ValueError:
            self.add_error("value", _("Not a valid value for this kind."))
        return data


@admin.register(DenyEntry)
class DenyEntryAdmin(admin.ModelAdmin):
    form = DenyEntryForm
    list_display = ["created_at", "kind", "value_key", "reason", "created_by", "expires_at"]
    list_filter = ["kind"]
    search_fields = ["=value_key"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["kind", "value_key", "created_by", "created_at"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: DenyEntry, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)


class RuleConfigInline(admin.TabularInline):
    model = RuleConfig
    fields = ["code", "mode", "weight", "explanation"]
    readonly_fields = ["code", "explanation"]
    extra = 0
    can_delete = False

    @admin.display(description=_("explanation"))
    def explanation(self, obj: RuleConfig) -> str:
        spec = RULES.get(obj.code)
        if spec is None:
            return ""
        hard = gettext(" (hard rule: reject)") if spec.hard else ""
        return f"{spec.text_ja} / {spec.text_en}{hard}"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == RuleSet.Status.DRAFT


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["note", "challenge_at", "challenge_at_when_exempt", "reject_at", "params"]

    def clean_params(self) -> Any:
        params = self.cleaned_data.get("params")
        problems = params_problems(params)
        if problems:
            raise forms.ValidationError(problems)
        return {} if params is None else params  # an emptied field means no overrides


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = [
        "version",
        "status",
        "note",
        "challenge_at",
        "challenge_at_when_exempt",
        "reject_at",
        "created_by",
        "activated_at",
    ]
    list_filter = ["status"]
    readonly_fields = ["version", "status", "created_by", "created_at", "activated_at"]
    inlines = [RuleConfigInline]
    actions = ["copy_as_draft", "activate"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == RuleSet.Status.DRAFT)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == RuleSet.Status.DRAFT)

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new rule set starts from the built-in defaults, every rule listed.
        draft = ruleset_create_draft(created_by=request.user.get_username(), note=obj.note)
        for field in ("challenge_at", "challenge_at_when_exempt", "reject_at", "params"):
            setattr(draft, field, getattr(obj, field))
        draft.save()
        obj.pk, obj.version = draft.pk, draft.version

    @admin.action(description=_("Copy as a new draft"), permissions=["add"])
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        for ruleset in queryset:
            draft = ruleset_create_draft(created_by=request.user.get_username(), source=ruleset)
            self.message_user(
                request,
                gettext("Draft v%(draft)s created from v%(source)s.")
                % {"draft": draft.version, "source": ruleset.version},
            )

    @admin.action(description=_("Activate (retires the active rule set)"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        if queryset.count() != 1:
            self.message_user(request, gettext("Select exactly one draft."), messages.ERROR)
            return
        try:
            ruleset = ruleset_activate(ruleset=queryset.get())
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(
            request,
            gettext("v%(version)s is active since %(time)s.")
            % {"version": ruleset.version, "time": f"{timezone.localtime():%H:%M:%S}"},
        )
