"""Log-in, log-out and passwords."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal.forms import ForcedPasswordChangeForm, ForgottenPasswordForm, LoginForm, PasswordChangeForm
from portal.models import Member
from portal.services.authentication import member_authenticate
from portal.services.passwords import password_change, password_forgotten
from portal.views.common import cardholder_required, errors_attach, limited, member_required, refuse_over_rate

LOGIN_ERRORS = {
    "invalid": gettext_lazy("The My Net+ ID or password is not correct."),
    "expired": gettext_lazy(
        "This temporary password has expired or was already used. Please ask for a new one."
    ),
    "unusable": gettext_lazy(
        "This account can no longer be used. If your card was reissued, please register the new card."
    ),
}


@sensitive_post_parameters("password")
@limited("RATELIMIT_LOGIN")
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    locked = False
    refuse_over_rate(request, form)
    if request.method == "POST" and form.is_valid():
        result = member_authenticate(**form.cleaned_data)
        if result.member is not None:
            login(request, result.member)  # rotates the session key
            Member.objects.filter(pk=result.member.pk).update(language=(get_language() or "ja")[:2])
            return redirect("portal:password-forced" if result.must_change_password else "portal:home")
        locked = result.error == "locked"
        if not locked:
            form.add_error(None, str(LOGIN_ERRORS[result.error]))
    return render(
        request, "portal/login.html", {"form": form, "locked": locked}, status=403 if locked else 200
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("portal:top")


@sensitive_post_parameters("current", "new")
@member_required
def password_change_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member: Member = request.user  # type: ignore[assignment]
            password_change(member=member, current=form.cleaned_data["current"], new=form.cleaned_data["new"])
        except ValidationError as error:
            errors_attach(form, error, "new")
        else:
            update_session_auth_hash(request, member)  # stays logged in under the new password
            messages.success(request, _("Your password has been changed."))
            return redirect("portal:home")
    return render(request, "portal/password_change.html", {"form": form})


@sensitive_post_parameters("new")
@cardholder_required
def password_forced_view(request: HttpRequest) -> HttpResponse:
    member: Member = request.user  # type: ignore[assignment]
    if not member.must_change_password:
        return redirect("portal:home")
    form = ForcedPasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(member=member, current=None, new=form.cleaned_data["new"])
        except ValidationError as error:
            errors_attach(form, error, "new")
        else:
            update_session_auth_hash(request, member)
            messages.success(request, _("Your new password is set."))
            return redirect("portal:home")
    return render(request, "portal/password_forced.html", {"form": form})


@sensitive_post_parameters("date_of_birth", "email")
@limited("RATELIMIT_RECOVERY")
def password_forgotten_view(request: HttpRequest) -> HttpResponse:
    form = ForgottenPasswordForm(request.POST or None)
    refuse_over_rate(request, form)
    if request.method == "POST" and form.is_valid():
        password_forgotten(**form.cleaned_data)
        return render(request, "portal/password_forgotten_sent.html")
    return render(request, "portal/password_forgotten.html", {"form": form})
