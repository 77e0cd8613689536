"""The 3-D Secure service: enrol a verified phone, personal message, switch, change phone or e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from portal.forms import CodeForm, EmailChangeForm, EnrolForm, PersonalMessageForm, PhoneChangeForm, PhoneForm
from portal.masking import mask_phone
from portal.models import Member, PhoneVerificationDevice, ThreeDSEnrolment
from portal.services.enrolment import (
    notice_email_change,
    personal_message_set,
    phone_verification_confirm,
    phone_verification_resend,
    phone_verification_start,
)
from portal.views.common import errors_attach, member_required


def _enrolment(member: Member) -> ThreeDSEnrolment | None:
    return ThreeDSEnrolment.objects.filter(member=member).first()


def _start(request: HttpRequest, form: PhoneForm, purpose: str, template: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            phone_verification_start(member=request.user, purpose=purpose, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_attach(form, error, "mobile")
        else:
            return redirect("portal:verify-phone")
    return render(request, template, {"form": form})


@sensitive_post_parameters("mobile", "personal_message")
@member_required
def enrol(request: HttpRequest) -> HttpResponse:
    if _enrolment(request.user) is not None:  # type: ignore[arg-type]
        return redirect("portal:home")
    return _start(request, EnrolForm(request.POST or None), "enrol", "portal/enrol.html")


@sensitive_post_parameters("mobile", "password")
@member_required
def switch_to_sms(request: HttpRequest) -> HttpResponse:
    enrolment = _enrolment(request.user)  # type: ignore[arg-type]
    if enrolment is None or enrolment.method != ThreeDSEnrolment.Method.PASSWORD:
        return redirect("portal:home")
    return _start(request, PhoneChangeForm(request.POST or None), "switch", "portal/switch.html")


@sensitive_post_parameters("mobile", "password")
@member_required
def change_phone(request: HttpRequest) -> HttpResponse:
    if _enrolment(request.user) is None:  # type: ignore[arg-type]
        return redirect("portal:enrol")
    return _start(request, PhoneChangeForm(request.POST or None), "change", "portal/change_phone.html")


@sensitive_post_parameters("code")
@member_required
def verify_phone(request: HttpRequest) -> HttpResponse:
    device = PhoneVerificationDevice.objects.filter(user=request.user).first()
    if device is None:
        return redirect("portal:home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_verification_confirm(member=request.user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        except ValidationError as error:
            errors_attach(form, error, "code")
        else:
            messages.success(request, _("Your mobile number is verified. 3-D Secure will send codes to it."))
            return redirect("portal:home")
    return render(
        request, "portal/verify_phone.html", {"form": form, "masked_phone": mask_phone(device.mobile)}
    )


@member_required
@require_POST
def resend_code(request: HttpRequest) -> HttpResponse:
    try:
        phone_verification_resend(member=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("A new code has been sent."))
    return redirect("portal:verify-phone")


@sensitive_post_parameters("personal_message")
@member_required
def personal_message(request: HttpRequest) -> HttpResponse:
    enrolment = _enrolment(request.user)  # type: ignore[arg-type]
    if enrolment is None:
        return redirect("portal:enrol")
    form = PersonalMessageForm(request.POST or None, initial={"personal_message": enrolment.personal_message})
    if request.method == "POST" and form.is_valid():
        try:
            personal_message_set(member=request.user, text=form.cleaned_data["personal_message"])  # type: ignore[arg-type]
        except ValidationError as error:
            errors_attach(form, error, "personal_message")
        else:
            messages.success(request, _("Your personal message has been saved."))
            return redirect("portal:home")
    return render(request, "portal/personal_message.html", {"form": form})


@sensitive_post_parameters("password")
@member_required
def change_email(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice_email_change(member=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            errors_attach(form, error, "email")
        else:
            messages.success(request, _("Your e-mail address has been changed."))
            return redirect("portal:home")
    return render(request, "portal/change_email.html", {"form": form})
