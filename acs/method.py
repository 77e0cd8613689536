"""The 3DS Method URL (reference §1 row 1): collect device data, then notify the 3DS Server.

The page runs in a hidden iframe on the merchant's checkout, usually without cookies (third-party
cookies are blocked or partitioned), so it sets none and needs none: the collect call carries a
short-lived signed token instead. The notification must reach the 3DS Server within its timer
(10 s in 2.1/2.2, 5 s in 2.3.1), so the script gives collection at most ~2 s.
"""

from __future__ import annotations

import logging
import uuid
from typing import Final

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from acs import protocol
from acs.method_data import MAX_BODY_BYTES, DeviceData, salvage_notification
from riskanalysis.models import DeviceProfile
from riskanalysis.pseudonym import ip_prefix, pseudonym

logger = logging.getLogger(__name__)

TOKEN_MAX_AGE: Final = 60  # seconds from page render to collect
# A genuine threeDSMethodData is under 3 KB (a 2048-character URL in Base64url JSON).
MAX_METHOD_DATA: Final = 8 * 1024
# The page may be framed by any merchant and may post its form anywhere, but loads nothing
# except its own script and talks to nothing but its own origin.
CSP: Final = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; form-action *; "
    "frame-ancestors *; base-uri 'none'"
)

_signer = signing.TimestampSigner(salt="acs.method")


def _with_headers(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = CSP
    # The token and transaction ID must not leak to the merchant in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _read_method_data(data: str) -> tuple[str, str, bool] | None:
    """Return (notification URL, threeDSServerTransID, collect?) for the form field, or None.

    Valid data gets a collecting page; data that fails validation but still names a usable
    notification URL gets a page that only notifies (nothing is collected for an ID we cannot
    trust); anything else gets nothing.
    """
    if len(data) > MAX_METHOD_DATA:
        return None
    try:
        method_data = protocol.parse_method_data(data)
    except protocol.ProtocolError as exc:
        logger.info("3DS Method data rejected: %s %s", exc.code, exc.detail)
        salvaged = salvage_notification(data)
        return None if salvaged is None else (*salvaged, False)
    return method_data.threeDSMethodNotificationURL, method_data.threeDSServerTransID, True


@csrf_exempt
@xframe_options_exempt
@never_cache
@require_POST
def method(request: HttpRequest) -> HttpResponse:
    """Serve the device-data page, or a notify-only page when the data is bad but answerable."""
    read = _read_method_data(request.POST.get("threeDSMethodData", ""))
    if read is None:
        return _with_headers(
            HttpResponseBadRequest("Bad threeDSMethodData.\n", content_type="text/plain; charset=utf-8")
        )
    notification_url, trans_id, collecting = read
    # Rendered without the request: no context processor may touch the session or CSRF token,
    # which would set a cookie this third-party page must not set.
    html = render_to_string(
        "acs/method.html",
        {
            "notification_url": notification_url,
            "notification_data": protocol.build_method_notification(trans_id),
            "collect_url": reverse("acs:method-collect") if collecting else "",
            "token": _signer.sign(trans_id) if collecting else "",
        },
    )
    return _with_headers(HttpResponse(html))


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"error": detail}, status=status)


@csrf_exempt
@never_cache
@require_POST
def collect(request: HttpRequest) -> HttpResponse:
    """Store the device data the method page posts (204), once per threeDSServerTransID."""
    # Read one byte past the limit instead of the whole body: a flood is refused unread.
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _error(400, "body too large")
    try:
        device = DeviceData.model_validate_json(body)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in e["loc"]) or "body" for e in exc.errors()})
        return _error(400, "invalid: " + ",".join(fields))
    try:
        trans_id = _signer.unsign(device.token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return _error(403, "bad or expired token")
    _store_profile(uuid.UUID(trans_id), device, request.META.get("REMOTE_ADDR", ""))
    return HttpResponse(status=204)


def _store_profile(trans_id: uuid.UUID, device: DeviceData, remote_addr: str) -> None:
    # The first profile wins: a replayed or repeated collect must not overwrite the evidence.
    if DeviceProfile.objects.filter(three_ds_server_trans_id=trans_id).exists():
        return
    # REMOTE_ADDR is the client only when nothing stands in front of the app. Behind a reverse
    # proxy, configure the proxy to overwrite a header (e.g. X-Real-IP) and read that here
    # instead: never a client-supplied X-Forwarded-For.
    try:
        prefix_hash = pseudonym("ip_prefix", ip_prefix(remote_addr))
    except ValueError:
        prefix_hash = ""
    profile = DeviceProfile(
        three_ds_server_trans_id=trans_id,
        device_id_hash=pseudonym("device_id", device.deviceId.lower()) if device.deviceId else "",
        fingerprint_hash=device.fingerprint_key(),
        ip_prefix_hash=prefix_hash,
        timezone_offset=device.timezoneOffset,
        timezone_name=device.timezoneName or "",
        languages=device.languages_joined(),
        platform=device.platform,
        screen=device.screen,
        color_depth=device.colorDepth,
        hardware_concurrency=device.hardwareConcurrency,
        touch_points=device.maxTouchPoints,
        storage_available=device.storageAvailable,
    )
    # The unique constraint settles a race between two concurrent posts.
    try:
        with transaction.atomic():
            profile.save(force_insert=True)
    except IntegrityError:
        pass
