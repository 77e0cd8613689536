"""3-D Secure enrolment: a verified Japanese mobile number and the personal message.

A number is saved only after the member types the code sent to it. New enrolments use SMS
one-time passwords; members on the legacy password method switch the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from portal.masking import mask_phone
from portal.models import Member, PhoneVerificationDevice, ThreeDSEnrolment
from portal.otp_devices import RESENDS_EXHAUSTED
from portal.services.accounts import password_verify
from portal.services.notices import notice_send
from portal.sms.gateway import sms_send
from portal.sms.numbers import e164
from portal.sms.webotp import with_origin_line

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # django-stubs' type of a lazy text

JAPANESE_MOBILE_PREFIXES = ("+8170", "+8180", "+8190")


def japanese_mobile(raw: str) -> str:
    """Return the number as E.164 if it is a Japanese 070/080/090 mobile number."""
    number = e164(raw)
    if number is None or not number.startswith(JAPANESE_MOBILE_PREFIXES) or len(number) != 13:
        raise ValidationError(_("Enter a Japanese mobile number starting with 070, 080 or 090."))
    return number


def personal_message_clean(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > settings.PERSONAL_MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(max)d characters.") % {"max": settings.PERSONAL_MESSAGE_MAX_LENGTH}
        )
    return text


def _require_password(member: Member, password: str | None) -> None:
    if not password_verify(member=member, password=password):
        raise ValidationError({"password": _("The password is not correct.")})


CODE_NOT_SENT = gettext_lazy(
    "The code could not be sent to this number. Check the number, or try again in a few minutes."
)
WAIT_FOR_CODE = gettext_lazy("A new code cannot be sent yet. Please wait a moment.")
NO_MORE_CODES = gettext_lazy("No more codes can be sent for now. Please try again in 24 hours.")
# The quota of codes is per verification; a member who used it up may start again the next day.
QUOTA_PERIOD = dt.timedelta(days=1)
# Codes that will confirm payments go to a new number only after the password is re-entered, so
# that a stolen session cannot move them to the thief's phone ("enrol" has no number to move).
PASSWORD_PURPOSES = ("change", "switch")


def phone_verification_start(
    *, member: Member, mobile: str, purpose: str, personal_message: str = "", password: str | None = None
) -> PhoneVerificationDevice:
    """Send a code to the number to be enrolled. A new number for an enrolment (a change, or the
    switch from the legacy password method) asks for the password too.

    Starting again (another number, a second press) keeps the member's verification device, so
    the cooldown and the quota of codes hold across restarts: no free SMS to any number.
    """
    e164 = japanese_mobile(mobile)
    message = personal_message_clean(personal_message)
    if purpose in PASSWORD_PURPOSES:
        _require_password(member, password)
    with transaction.atomic():
        # The member row is the lock: while there is no device yet, locking "the device" locks
        # no row at all, and parallel presses would each create one (and send one more SMS).
        Member.objects.select_for_update().get(pk=member.pk)
        device = PhoneVerificationDevice.objects.select_for_update().filter(user=member).first()
        if device is None:
            # Saved first: the code is bound to the device's key.
            device = PhoneVerificationDevice.objects.create(user=member, name="phone", mobile=e164)
        elif _quota_period_over(device):
            device.sends = 0
        if refusal := _send_refusal(device):
            raise ValidationError({"mobile": refusal})
        device.mobile, device.purpose, device.personal_message = e164, purpose, message
        device.throttle_reset(commit=False)
        code = device.generate_token(valid_secs=settings.OTP_VALIDITY_SECONDS)
    if not _send_code(member, e164, code):
        raise ValidationError({"mobile": CODE_NOT_SENT})
    return device


def _send_refusal(device: PhoneVerificationDevice) -> _StrPromise | None:
    """Why no code may be sent now (the cooldown, or the quota until its period is over), or None."""
    allowed, info = device.generate_is_allowed()
    if allowed:
        return None
    return NO_MORE_CODES if (info or {}).get("reason") == RESENDS_EXHAUSTED else WAIT_FOR_CODE


def _quota_period_over(device: PhoneVerificationDevice) -> bool:
    last = device.last_generated_timestamp
    return last is None or timezone.now() - last >= QUOTA_PERIOD


def phone_verification_resend(*, member: Member) -> None:
    """Send a new code to the number being verified; ValidationError when it cannot be sent."""
    with transaction.atomic():
        device = PhoneVerificationDevice.objects.select_for_update().filter(user=member).first()
        if device is None:
            raise ValidationError(WAIT_FOR_CODE)
        if refusal := _send_refusal(device):
            raise ValidationError(refusal)
        device.throttle_reset(commit=False)  # a new code, new tries: the quota of codes bounds them
        code = device.generate_token(valid_secs=settings.OTP_VALIDITY_SECONDS)
    if not _send_code(member, device.mobile, code):
        raise ValidationError(CODE_NOT_SENT)


def _send_code(member: Member, e164: str, code: str) -> bool:
    with override(member.language):
        body = _("My Net+: your verification code is %(code)s. Valid for %(minutes)d minutes.") % {
            "code": code,
            "minutes": max(settings.OTP_VALIDITY_SECONDS // 60, 1),
        }
    return sms_send(to=e164, body=with_origin_line(body, code), purpose="phone_verification").dispatched


def phone_verification_confirm(*, member: Member, code: str) -> ThreeDSEnrolment:
    """Check the code; on success enrol (or update) with the verified number and SMS OTP."""
    with transaction.atomic():
        device = PhoneVerificationDevice.objects.select_for_update().filter(user=member).first()
        if device is None:
            raise ValidationError({"code": _("Please ask for a new code.")})
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            raise ValidationError({"code": _("Please wait a moment before trying again.")})
        if device.throttling_failure_count >= settings.OTP_MAX_ATTEMPTS:
            raise ValidationError({"code": _("Too many wrong codes. Please ask for a new code.")})
        if device.expired and device.token_hash:
            raise ValidationError({"code": _("The code has expired. Please ask for a new code.")})
        # A miss is counted on the device (the back-off and the limit above): it must be
        # committed, so the refusal is raised after the atomic block, not inside it.
        verified = device.verify_token(code)
        if verified:
            enrolment, old_mobile = _save_enrolment(member, device)
            device.delete()
    if not verified:
        raise ValidationError({"code": _("The code is not correct.")})
    _notify(member, enrolment, old_mobile, device.purpose)
    return enrolment


def _save_enrolment(member: Member, device: PhoneVerificationDevice) -> tuple[ThreeDSEnrolment, str]:
    enrolment = ThreeDSEnrolment.objects.select_for_update().filter(member=member).first()
    old_mobile = enrolment.mobile if enrolment is not None else ""
    if enrolment is None:
        enrolment = ThreeDSEnrolment(member=member, personal_message=device.personal_message)
    elif device.purpose == "enrol" and device.personal_message:
        enrolment.personal_message = device.personal_message
    enrolment.mobile = device.mobile
    enrolment.method = ThreeDSEnrolment.Method.SMS_OTP
    enrolment.save()
    return enrolment, old_mobile


def _notify(member: Member, enrolment: ThreeDSEnrolment, old_mobile: str, purpose: str) -> None:
    masked = mask_phone(enrolment.mobile)
    if purpose == "change" and old_mobile and old_mobile != enrolment.mobile:
        with override(member.language):
            text = _(
                "My Net+: the mobile number for 3-D Secure was changed. "
                "If this was not you, call us at %(phone)s."
            )
        sms_send(to=old_mobile, body=text % {"phone": settings.SUPPORT_PHONE}, purpose="change_notice")
        notice_send(member=member, kind="phone_changed", masked_phone=masked)
    else:
        notice_send(member=member, kind="enrolled", masked_phone=masked)


def personal_message_set(*, member: Member, text: str) -> ThreeDSEnrolment:
    """Set, change or clear (empty text) the phrase shown on every challenge page."""
    enrolment = ThreeDSEnrolment.objects.filter(member=member).first()
    if enrolment is None:
        raise ValidationError(_("Enrol in 3-D Secure first."))
    enrolment.personal_message = personal_message_clean(text)
    enrolment.save(update_fields=["personal_message", "updated_at"])
    return enrolment


def notice_email_change(*, member: Member, password: str, email: str) -> None:
    """Change the notice address after the password is re-entered; tell the old address."""
    _require_password(member, password)
    old = member.email
    member.email = email.strip()
    member.save(update_fields=["email"])
    if old and old.casefold() != member.email.casefold():
        from portal.masking import mask_email

        notice_send(member=member, kind="email_changed", to=old, masked_email=mask_email(member.email))
