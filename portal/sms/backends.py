"""Where an SMS goes: the local outbox, or Twilio's Messages API. Chosen by `settings.SMS_BACKEND`.

A backend's `send` fills in the message's status, provider SID, error code (and body, if it keeps
one) and never raises for a delivery problem; the gateway saves the row.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from portal.masking import mask_phone
from portal.sms.models import SmsMessage

logger = logging.getLogger("portal.sms")

Status = SmsMessage.Status

# Twilio error codes (https://www.twilio.com/docs/api/errors) that mean the number cannot get an
# SMS: 21211 invalid 'To', 21614 not a mobile number, 21608 unverified (trial account),
# 21612 not reachable by SMS. Retrying will not help.
INVALID_NUMBER_CODES = frozenset({21211, 21608, 21612, 21614})
RATE_LIMIT_CODE = 20429
CALLBACK_MESSAGE_PARAMETER = "message"  # our SmsMessage id, in each status callback's URL

# A Message resource's status, as returned on create and in status callbacks.
PROVIDER_STATUSES = {
    "accepted": Status.QUEUED,
    "scheduled": Status.QUEUED,
    "queued": Status.QUEUED,
    "sending": Status.QUEUED,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
    "canceled": Status.FAILED,
}


class SmsBackend(Protocol):
    name: str

    def send(self, message: SmsMessage, body: str) -> None: ...


class OutboxBackend:
    """Keep the message for the sandbox phone inbox and print it: nothing leaves the machine."""

    name = "outbox"

    def send(self, message: SmsMessage, body: str) -> None:
        message.body = body
        message.status = Status.SENT
        # The outbox is the demo's phone: locally the console shows the text (the OTP) too.
        shown = body if settings.LOCAL else "(body not logged)"
        logger.info("SMS outbox %s to %s: %s", message.purpose, mask_phone(message.to_number), shown)


class TwilioBackend:
    """Send through Twilio's Messages API; keep no body, since it holds a one-time password."""

    name = "twilio"

    def send(self, message: SmsMessage, body: str) -> None:
        message.body = ""
        if not _configured():
            logger.error(
                "SMS twilio: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and a sender "
                "(TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID)"
            )
            message.status, message.error_code = Status.FAILED, "config"
            return
        try:
            created = _client().messages.create(**_create_arguments(message, body))
        except (TwilioRestException, TwilioServiceException) as exc:
            # Never log exc.msg: Twilio's message repeats the 'To' number in clear.
            message.status, message.error_code = _status_for_error(exc.status, exc.code)
            return
        except requests.Timeout:
            message.status, message.error_code = Status.FAILED, "timeout"
            return
        except requests.ConnectionError:
            message.status, message.error_code = Status.FAILED, "connection"
            return
        except (TwilioException, requests.RequestException):
            message.status, message.error_code = Status.FAILED, "error"
            return
        message.provider_sid = created.sid or ""
        message.status = PROVIDER_STATUSES.get(str(created.status), Status.QUEUED)
        message.error_code = str(created.error_code) if created.error_code else ""


def _configured() -> bool:
    sender = settings.TWILIO_FROM_NUMBER or settings.TWILIO_MESSAGING_SERVICE_SID
    return bool(settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and sender)


def _client() -> Client:
    client = Client(
        settings.TWILIO_ACCOUNT_SID,
        settings.TWILIO_AUTH_TOKEN,
        http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT),
    )
    if settings.TWILIO_API_BASE_URL:
        client.api.base_url = settings.TWILIO_API_BASE_URL
    return client


def _create_arguments(message: SmsMessage, body: str) -> dict[str, Any]:
    arguments: dict[str, Any] = {"to": message.to_number, "body": body}
    if settings.TWILIO_FROM_NUMBER:
        arguments["from_"] = settings.TWILIO_FROM_NUMBER
    else:
        arguments["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
    if settings.TWILIO_STATUS_CALLBACK_URL:
        arguments["status_callback"] = status_callback_url(message.pk)
    return arguments


def status_callback_url(message_id: int) -> str:
    """The status callback URL of one message: it names our row, which Twilio's SID cannot yet.

    Twilio may report a status before its answer to the create call reaches us, so before the
    row holds the SID. Twilio signs the whole URL, query included: the id cannot be forged.
    """
    base = settings.TWILIO_STATUS_CALLBACK_URL
    return f"{base}{'&' if '?' in base else '?'}{urlencode({CALLBACK_MESSAGE_PARAMETER: message_id})}"


def _status_for_error(http_status: int, code: int | None) -> tuple[str, str]:
    if code in INVALID_NUMBER_CODES:
        return Status.INVALID_NUMBER, str(code)
    if code == RATE_LIMIT_CODE or http_status == 429:
        return Status.RATE_LIMITED, str(code or 429)
    return Status.FAILED, str(code or f"http_{http_status}")


BACKENDS: dict[str, type[SmsBackend]] = {"outbox": OutboxBackend, "twilio": TwilioBackend}


def backend() -> SmsBackend:
    """Return the backend `settings.SMS_BACKEND` names."""
    try:
        return BACKENDS[settings.SMS_BACKEND]()
    except KeyError:
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {sorted(BACKENDS)}") from None
