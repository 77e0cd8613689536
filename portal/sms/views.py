"""Twilio's status callback: delivery reports for the messages `sms_send` handed over."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from portal.sms.backends import CALLBACK_MESSAGE_PARAMETER
from portal.sms.gateway import sms_record_status

logger = logging.getLogger("portal.sms")


@csrf_exempt  # Twilio cannot hold a CSRF token; the request signature authenticates it instead.
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    if not _signed_by_twilio(request):
        return HttpResponseForbidden()
    named = request.GET.get(CALLBACK_MESSAGE_PARAMETER)
    if named is not None and not (named.isascii() and named.isdigit()):
        return HttpResponseNotFound()
    message = sms_record_status(
        provider_sid=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        message_id=int(named) if named is not None else None,
    )
    if message is None:
        return HttpResponseNotFound()
    return HttpResponse(status=204)


def _called_url(request: HttpRequest) -> str:
    """The URL Twilio called and signed: the one we gave it (backends.status_callback_url).

    Behind a proxy the request's own URL may differ, so the configured one is taken, with the
    query string that named the message.
    """
    configured = settings.TWILIO_STATUS_CALLBACK_URL
    if not configured:
        return request.build_absolute_uri()
    query = request.META.get("QUERY_STRING", "")
    return f"{configured.partition('?')[0]}?{query}" if query else configured


def _signed_by_twilio(request: HttpRequest) -> bool:
    """Check `X-Twilio-Signature`: an HMAC of the called URL and the form, keyed with the auth token."""
    signature = request.headers.get("X-Twilio-Signature", "")
    # Without a token anyone could compute the "signature"; refuse everything instead.
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    if RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(_called_url(request), request.POST, signature):
        return True
    if "X-Twilio-Webhooks-Signature-Settings" in request.headers:
        logger.warning(
            "SMS status callback signed with a Webhooks SharedKey; only the auth token is supported"
        )
    return False
