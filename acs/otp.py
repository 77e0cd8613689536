"""The SMS one-time password of a challenge: send, resend, check.

Built on django-otp's side-channel device (`ChallengeOtpDevice`): it keeps the code's lifetime,
the resend cooldown and the throttling. The transaction's counters and final status change only
through `acs.services`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from acs import presentation, services
from acs.models import ChallengeOtpDevice, Transaction
from portal.ime import ime_normalise
from portal.otp_devices import RESENDS_EXHAUSTED
from portal.sms.gateway import sms_send
from portal.sms.webotp import with_origin_line


@dataclass(frozen=True)
class OtpResult:
    txn: Transaction
    ok: bool = False
    error: str = ""  # "wrong", "expired", "throttled", "cooldown", "resends_exhausted", "send_failed"


def normalise_code(typed: str) -> str:
    """Return the ASCII digits of a typed code.

    Japanese IMEs type full-width digits (１２３４５６) and pasted codes carry spaces ("492 872"):
    folded as the portal's forms fold them, then everything but the digits goes.
    """
    return re.sub(r"[^0-9]", "", ime_normalise(typed, digits=True))


def _message(txn: Transaction, code: str, accept_language: str) -> str:
    amount = presentation.format_amount(txn.purchase_amount, txn.purchase_currency, txn.purchase_exponent)
    minutes = max(settings.OTP_VALIDITY_SECONDS // 60, 1)
    with override(presentation.language_for(txn.browser_language, accept_language)):
        text = _(
            "My Net+: your code for %(merchant)s, %(amount)s is %(code)s. Valid for %(minutes)d minutes. "
            "Never share it."
        ) % {"merchant": txn.merchant_name, "amount": amount, "code": code, "minutes": minutes}
    return with_origin_line(text, code)


def _device_for(txn: Transaction) -> ChallengeOtpDevice:
    device, _created = ChallengeOtpDevice.objects.select_for_update().get_or_create(
        transaction=txn,
        defaults={"user_id": txn.card.account.pk, "name": "SMS"},  # type: ignore[union-attr]
    )
    return device


def _deliver(txn: Transaction, code: str, accept_language: str) -> OtpResult:
    # Sent after the new code's hash is committed: no row lock is held across the SMS provider's
    # HTTP call, and a rollback cannot leave a sent SMS unrecorded.
    mobile = txn.card.account.enrolment.mobile  # type: ignore[union-attr]
    message = sms_send(to=mobile, body=_message(txn, code, accept_language), purpose="challenge_otp")
    return OtpResult(txn, error="" if message.dispatched else "send_failed")


def otp_send_first(*, txn: Transaction, accept_language: str) -> OtpResult:
    """Send the code when the page is first shown; a reload finds it pending and sends nothing.

    `accept_language` is the browser's Accept-Language header: the SMS speaks the page's language.
    """
    with transaction.atomic():
        device = _device_for(txn)
        if device.sends:
            return OtpResult(txn)
        code = device.generate_token(valid_secs=settings.OTP_VALIDITY_SECONDS)
    return _deliver(txn, code, accept_language)


def otp_resend(*, txn: Transaction, accept_language: str) -> OtpResult:
    """Send a new code (the old one dies), after the cooldown and within the resend quota."""
    with transaction.atomic():
        device = _device_for(txn)
        allowed, info = device.generate_is_allowed()
        if not allowed:
            exhausted = (info or {}).get("reason") == RESENDS_EXHAUSTED
            return OtpResult(txn, error="resends_exhausted" if exhausted else "cooldown")
        code = device.generate_token(valid_secs=settings.OTP_VALIDITY_SECONDS)
    return _deliver(txn, code, accept_language)


def otp_check(*, txn: Transaction, code: str) -> OtpResult:
    """Check a code: success completes Y; a miss counts an attempt (N/19 at the maximum)."""
    with transaction.atomic():
        device = _device_for(txn)
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return OtpResult(txn, error="throttled")
        expired = device.expired
        ok = device.verify_token(normalise_code(code))
    if ok:
        done = services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="Y", attempt=True)
        return OtpResult(done or txn, ok=True)
    counted = services.challenge_count_attempt(acs_trans_id=txn.acs_trans_id)
    return OtpResult(counted, error="expired" if expired else "wrong")


def resend_state(txn: Transaction) -> tuple[int, int]:
    """Return (seconds until a resend is allowed, resends left)."""
    device = ChallengeOtpDevice.objects.filter(transaction=txn).first()
    if device is None:
        return 0, settings.OTP_MAX_RESENDS
    left = max(settings.OTP_MAX_RESENDS - max(device.sends - 1, 0), 0)
    wait = 0
    if device.last_generated_timestamp is not None:
        elapsed = (timezone.now() - device.last_generated_timestamp).total_seconds()
        wait = max(int(settings.OTP_RESEND_COOLDOWN_SECONDS - elapsed + 0.999), 0)
    return wait, left
