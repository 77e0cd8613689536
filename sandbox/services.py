"""The sandbox's 3DS Server and merchant: every change of a DemoPurchase happens here.

The ACS is reached only through its public HTTP endpoints, as a real Directory Server would:
the AReq goes to `<ACS_BASE_URL>/acs/areq` over HTTP, the RReq comes back to the sandbox DS
(`sandbox.ds`), the CReq and the final CRes travel through the shopper's browser.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Final

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acs import protocol  # the pure message package: no ACS state, no Django
from sandbox.areq import BrowserInfo, Endpoints, build_areq, mask_areq
from sandbox.demo_cards import demo_card
from sandbox.models import DemoPurchase

AREQ_TIMEOUT: Final = 5.0  # seconds; the sandbox DS waits no longer for the ARes


def log_event(purchase: DemoPurchase, text: str, *, at: dt.datetime | None = None) -> None:
    """Add a line to the purchase's event log (saved with the purchase by the caller)."""
    moment = (at or timezone.now()).isoformat(timespec="milliseconds")
    purchase.events = [*purchase.events, [moment, text]]


def _locked(purchase_id: uuid.UUID | str) -> DemoPurchase:
    return DemoPurchase.objects.select_for_update().get(pk=purchase_id)


def purchase_create(
    *,
    card_key: str,
    amount: int,
    merchant_name: str,
    challenge_ind: str,
    message_version: str,
    window_size: str,
    browser_language: str,
    run_method: bool,
    browser: BrowserInfo,
) -> DemoPurchase:
    """Record a checkout; its authentication starts with the 3DS Method (or without one)."""
    card = demo_card(card_key)
    purchase = DemoPurchase(
        card_key=card.key,
        masked_pan=card.masked,
        amount=amount,
        merchant_name=merchant_name,
        challenge_ind=challenge_ind,
        message_version=message_version,
        window_size=window_size,
        browser_language=browser_language,
        run_method=run_method,
        browser=asdict(browser),
    )
    log_event(purchase, f"checkout: {card.masked}, ¥{amount:,}, {merchant_name}")
    purchase.save()
    return purchase


def browser_of(purchase: DemoPurchase) -> BrowserInfo:
    return BrowserInfo(**purchase.browser)


def method_data_for(purchase: DemoPurchase, *, notification_url: str) -> str:
    """The threeDSMethodData the checkout posts to the ACS's 3DS Method URL."""
    return protocol.encode_message(
        {
            "threeDSServerTransID": str(purchase.three_ds_server_trans_id),
            "threeDSMethodNotificationURL": notification_url,
        }
    )


def method_done(*, purchase_id: uuid.UUID | str, method_data: str) -> DemoPurchase | None:
    """Record the ACS's 3DS Method notification; None if it is not for this purchase."""
    try:
        data = json.loads(protocol.b64url_decode(method_data))
    except (ValueError, UnicodeDecodeError):
        return None
    with transaction.atomic():
        purchase = DemoPurchase.objects.select_for_update().filter(pk=purchase_id).first()
        if purchase is None or not isinstance(data, dict):
            return None
        if data.get("threeDSServerTransID") != str(purchase.three_ds_server_trans_id):
            log_event(purchase, "3DS Method notification for another transaction: ignored")
            purchase.save(update_fields=["events", "updated_at"])
            return None
        if purchase.method_done_at is None:
            purchase.method_done_at = timezone.now()
            log_event(purchase, "3DS Method: the ACS notified the 3DS Server")
            purchase.save(update_fields=["method_done_at", "events", "updated_at"])
    return purchase


def _claim_for_areq(purchase_id: uuid.UUID | str) -> DemoPurchase | None:
    with transaction.atomic():
        purchase = _locked(purchase_id)
        if purchase.status != DemoPurchase.Status.CREATED:
            return None
        purchase.status = DemoPurchase.Status.AREQ_SENT
        purchase.ds_trans_id = uuid.uuid4()
        purchase.save(update_fields=["status", "ds_trans_id", "updated_at"])
    return purchase


def purchase_authenticate(
    *, purchase_id: uuid.UUID | str, comp_ind: str, method_ms: int | None, endpoints: Endpoints
) -> DemoPurchase:
    """Send the AReq to the ACS (once per purchase: a reload sends nothing) and record the answer."""
    purchase = _claim_for_areq(purchase_id)
    if purchase is None:
        return DemoPurchase.objects.get(pk=purchase_id)
    areq = build_areq(
        version=purchase.message_version,
        card=demo_card(purchase.card_key),
        amount=purchase.amount,
        merchant_name=purchase.merchant_name,
        challenge_ind=purchase.challenge_ind,
        comp_ind=comp_ind,
        browser=browser_of(purchase),
        browser_language=purchase.browser_language,
        three_ds_server_trans_id=str(purchase.three_ds_server_trans_id),
        ds_trans_id=str(purchase.ds_trans_id),
        endpoints=endpoints,
        now=timezone.now(),
    )
    sent_at = timezone.now()
    # The network call happens outside any transaction: the ACS answers from its own threads.
    started = time.perf_counter()
    reply, error = _post_areq(areq)
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        purchase = _locked(purchase_id)  # fresh: a late 3DS Method notification may have landed
        purchase.three_ds_comp_ind = comp_ind
        purchase.method_ms = method_ms
        purchase.areq = mask_areq(areq)
        purchase.areq_sent_at = sent_at
        purchase.ares_ms = elapsed_ms
        log_event(
            purchase,
            f"threeDSCompInd={comp_ind}; AReq {purchase.message_version} sent to the ACS",
            at=sent_at,
        )
        _record_ares(purchase, reply, error)
        purchase.save()
    return purchase


def _post_areq(areq: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    # One AReq per checkout: no connection is kept open (a kept-alive connection would also hold a
    # web server thread, and with it a database connection, in a single-process demo server).
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "Connection": "close",
    }
    if areq["messageVersion"] == "2.3.1":
        headers["X-Request-ID"] = areq["dsTransID"]  # [Req 468]: the sender's own transaction ID
    try:
        response = requests.post(
            f"{settings.ACS_BASE_URL}/acs/areq",
            data=protocol.dumps_message(areq),
            headers=headers,
            timeout=AREQ_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"ACS not reachable: {type(exc).__name__}"
    try:
        reply = response.json()
    except ValueError:
        return None, f"HTTP {response.status_code} from the ACS, not JSON"
    if not isinstance(reply, dict):
        return None, f"HTTP {response.status_code} from the ACS, not a message"
    return reply, ""


def _record_ares(purchase: DemoPurchase, reply: dict[str, Any] | None, error: str) -> None:
    purchase.ares = reply
    if reply is None:
        purchase.status = DemoPurchase.Status.FAILED
        purchase.error = error
        log_event(purchase, error)
        return
    kind = reply.get("messageType")
    if kind == "Erro":
        purchase.status = DemoPurchase.Status.FAILED
        purchase.error = (
            f"Erro {reply.get('errorCode')}: {reply.get('errorDescription')} ({reply.get('errorDetail')})"
        )
        log_event(purchase, f"the ACS answered {purchase.error}")
        return
    if kind != "ARes" or reply.get("threeDSServerTransID") != str(purchase.three_ds_server_trans_id):
        purchase.status = DemoPurchase.Status.FAILED
        purchase.error = "the ACS answered something that is not the ARes of this AReq"
        log_event(purchase, purchase.error)
        return
    purchase.acs_trans_id = _uuid_or_none(reply.get("acsTransID"))
    status = reply.get("transStatus")
    reason = f" / reason {reply['transStatusReason']}" if reply.get("transStatusReason") else ""
    log_event(purchase, f"ARes transStatus {status}{reason} in {purchase.ares_ms} ms")
    challenge = status == "C" and bool(reply.get("acsURL"))
    purchase.status = DemoPurchase.Status.CHALLENGE if challenge else DemoPurchase.Status.ANSWERED


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def session_data_for(purchase: DemoPurchase) -> str:
    """threeDSSessionData: opaque to the ACS, echoed with the final CRes (Base64url, ≤1024)."""
    return protocol.b64url_encode(f"sandbox:{purchase.pk}".encode())


@dataclass(frozen=True)
class ChallengeStart:
    acs_url: str
    creq: str
    session_data: str


def challenge_creq(*, purchase_id: uuid.UUID | str) -> ChallengeStart | None:
    """Build the CReq the browser posts to the acsURL; None if no challenge is running."""
    with transaction.atomic():
        purchase = _locked(purchase_id)
        if purchase.status != DemoPurchase.Status.CHALLENGE or not purchase.ares:
            return None
        size = "05" if purchase.window_size == DemoPurchase.WindowSize.FULL_PAGE else purchase.window_size
        creq = {
            "threeDSServerTransID": str(purchase.three_ds_server_trans_id),
            "acsTransID": str(purchase.ares.get("acsTransID")),
            "challengeWindowSize": size,
            "messageType": "CReq",
            "messageVersion": purchase.message_version,
        }
        if purchase.creq is None:
            purchase.creq = creq
            purchase.creq_sent_at = timezone.now()
            log_event(
                purchase, f"CReq posted through the browser (window {purchase.get_window_size_display()})"
            )
        else:
            log_event(purchase, "CReq posted again (the challenge frame was reloaded)")
        purchase.save(update_fields=["creq", "creq_sent_at", "events", "updated_at"])
    return ChallengeStart(
        str(purchase.ares["acsURL"]), protocol.encode_message(creq), session_data_for(purchase)
    )


def challenge_result(*, purchase_id: uuid.UUID | str, cres: str, session_data: str) -> DemoPurchase | None:
    """Record the final CRes (or the Erro) the ACS sent through the browser to the notificationURL."""
    try:
        message = json.loads(protocol.b64url_decode(cres))
    except (ValueError, UnicodeDecodeError):
        message = None
    with transaction.atomic():
        purchase = DemoPurchase.objects.select_for_update().filter(pk=purchase_id).first()
        if purchase is None:
            return None
        now = timezone.now()
        if not isinstance(message, dict):
            log_event(purchase, "notification without a readable cres")
            purchase.error = purchase.error or "the cres field could not be decoded"
        else:
            purchase.cres = message
            purchase.cres_received_at = now
            log_event(purchase, _describe_cres(purchase, message))
        if session_data != session_data_for(purchase):
            log_event(purchase, "threeDSSessionData did not come back unchanged")
        if purchase.status == DemoPurchase.Status.CHALLENGE:
            purchase.status = DemoPurchase.Status.COMPLETED
        purchase.save()
    return purchase


def _describe_cres(purchase: DemoPurchase, message: dict[str, Any]) -> str:
    if message.get("messageType") == "Erro":
        return f"Erro {message.get('errorCode')} via the browser: {message.get('errorDetail')}"
    ids_match = message.get("threeDSServerTransID") == str(purchase.three_ds_server_trans_id) and (
        message.get("acsTransID") == str(purchase.acs_trans_id)
    )
    return f"final CRes transStatus {message.get('transStatus')}" + (
        "" if ids_match else " (IDs do not match!)"
    )
