"""The one way the product sends an SMS (`sms_send`), and the one way a delivery report lands.

`sms_send` never raises for a delivery problem: the caller reads the returned row's status
(`message.dispatched` is what most callers want). Numbers are never logged in clear.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.masking import mask_phone
from portal.sms import backends
from portal.sms.models import SmsMessage
from portal.sms.numbers import normalise, phone_fingerprint

logger = logging.getLogger("portal.sms")

Status = SmsMessage.Status
CAP_WINDOW = dt.timedelta(hours=24)
# pg_advisory_xact_lock(int, int) namespace for the per-phone cap: "SMS" in ASCII.
_LOCK_NAMESPACE = 0x534D53

# How far along its life a status is: a late or repeated delivery report never moves it back.
_PROGRESS: dict[str, int] = {
    Status.QUEUED: 0,
    Status.SENT: 1,
    Status.DELIVERED: 2,
    Status.UNDELIVERED: 2,
    Status.FAILED: 2,
}


def sms_send(*, to: str, body: str, purpose: str) -> SmsMessage:
    """Send `body` to the phone `to` unless its daily cap is reached; return the recorded message.

    Call it outside any transaction: it talks to the provider, and the per-phone cap lock must
    not outlive its own short transaction.
    """
    sender = backends.backend()
    number = normalise(to)
    if number is None:
        message = SmsMessage.objects.create(
            to_number=to,
            to_fingerprint=phone_fingerprint(to.strip()),
            purpose=purpose,
            backend=sender.name,
            status=Status.INVALID_NUMBER,
        )
        return _logged(message)
    message = _record_within_cap(number=number, purpose=purpose, backend=sender.name)
    if message.status == Status.CAPPED:
        return _logged(message)
    # The network call runs outside any transaction: a slow provider must not hold the cap lock.
    try:
        sender.send(message, body)
    except Exception as exc:  # a backend bug must not break the OTP page; the row says what happened
        logger.error("SMS %s: backend %s raised %s", message.pk, sender.name, type(exc).__name__)
        message.status, message.error_code = Status.FAILED, "error"
    _save_handed_over(message)
    return _logged(message)


def _save_handed_over(message: SmsMessage) -> None:
    """Save what the backend filled in, unless a delivery report got there first.

    Twilio may call the status callback (`delivered`, `failed`...) before its answer to the
    create call arrives: the report's status stands, the answer's SID is added.
    """
    with transaction.atomic():
        stored = SmsMessage.objects.select_for_update().only("status", "error_code").get(pk=message.pk)
        if _is_later(stored.status, message.status):
            message.status, message.error_code = stored.status, stored.error_code
        message.save(update_fields=["body", "status", "provider_sid", "error_code", "updated_at"])


def _is_later(status: str, than: str) -> bool:
    return status in _PROGRESS and than in _PROGRESS and _PROGRESS[status] > _PROGRESS[than]


def _record_within_cap(*, number: str, purpose: str, backend: str) -> SmsMessage:
    """Insert the message, then count; over `SMS_DAILY_CAP_PER_PHONE` it becomes `capped`.

    SMS pumping fires many requests at once, so counting and inserting are one step per phone:
    PostgreSQL takes an advisory lock on the phone; SQLite serialises writers already, and
    inserting first takes its write lock before the count.
    """
    fingerprint = phone_fingerprint(number)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, _lock_key(fingerprint)]
                )
        message = SmsMessage.objects.create(
            to_number=number,
            to_fingerprint=fingerprint,
            purpose=purpose,
            backend=backend,
            status=Status.QUEUED,
        )
        recent = (
            SmsMessage.objects.filter(to_fingerprint=fingerprint, created_at__gt=timezone.now() - CAP_WINDOW)
            .exclude(status=Status.CAPPED)
            .count()
        )
        if recent > settings.SMS_DAILY_CAP_PER_PHONE:
            message.status = Status.CAPPED
            message.save(update_fields=["status", "updated_at"])
    return message


def _lock_key(fingerprint: str) -> int:
    """Map a fingerprint to a signed 32-bit lock key (a collision only serialises two phones)."""
    return int(fingerprint[:8], 16) - 2**31


def _logged(message: SmsMessage) -> SmsMessage:
    level = logging.INFO if message.dispatched else logging.WARNING
    logger.log(
        level,
        "SMS %s %s via %s to %s: %s%s",
        message.pk,
        message.purpose,
        message.backend,
        mask_phone(message.to_number),
        message.status,
        f" ({message.error_code})" if message.error_code else "",
    )
    return message


def sms_record_status(
    *, provider_sid: str, provider_status: str, error_code: str = "", message_id: int | None = None
) -> SmsMessage | None:
    """Apply a provider's delivery report; return None if it matches no message.

    `message_id` comes from the callback URL (backends.status_callback_url); reports without
    one (sent before it existed) are matched by SID. A report that names a row whose SID is
    another's matches nothing. Reports may arrive late, twice or out of order (`sent` after
    `delivered`): only a step forward is recorded.
    """
    if not provider_sid:
        return None
    new = backends.PROVIDER_STATUSES.get(provider_status)
    with transaction.atomic():
        rows = SmsMessage.objects.select_for_update()
        if message_id is not None:
            message = rows.filter(pk=message_id).first()
        else:
            message = rows.filter(provider_sid=provider_sid).first()
        if message is None or message.provider_sid not in ("", provider_sid):
            return None
        changed = []
        if message.provider_sid != provider_sid:
            # The report came before the create call's answer: it tells us the SID first.
            message.provider_sid = provider_sid
            changed.append("provider_sid")
        if new is not None and _is_later(new, message.status):
            message.status = new
            message.error_code = error_code[:16] if new in (Status.UNDELIVERED, Status.FAILED) else ""
            changed += ["status", "error_code"]
        if changed:
            message.save(update_fields=[*changed, "updated_at"])
    if "status" in changed:
        logger.info("SMS %s: delivery report %s%s", message.pk, new, f" ({error_code})" if error_code else "")
    return message
