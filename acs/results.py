"""Deliver each challenge's result to the Directory Server (RReq) through a durable outbox.

`result_queue` writes the RReq in the same database transaction that ends the challenge, so a
result cannot be lost. `result_send` claims the row, commits the claim, POSTs, and records the
answer. Exactly-once delivery across a network is impossible; what we guarantee:

- a row recorded as delivered is never sent again;
- a process killed between the POST and the record leaves the row pending with its claim, and it
  is sent again after `RREQ_RETRY_SECONDS`. A DS that already had it answers Erro 312 (duplicate
  message); we record that answer to a repeated attempt as delivered, so the DS processes the
  result once and we do not loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from acs import protocol
from acs.models import ResultDelivery, Transaction
from acs.protocol import ProtocolError

log = logging.getLogger(__name__)
_session = requests.Session()


def result_queue(*, txn: Transaction, rreq: dict[str, Any]) -> ResultDelivery:
    """Queue the RReq; call inside the atomic block that completes the transaction."""
    return ResultDelivery.objects.create(transaction=txn, payload=rreq, next_attempt_at=timezone.now())


def _claim(delivery_id: int, now: dt.datetime) -> ResultDelivery | None:
    with transaction.atomic():
        row = (
            ResultDelivery.objects.select_for_update(skip_locked=True)
            .select_related("transaction")
            .filter(pk=delivery_id, status=ResultDelivery.Status.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        # The claim doubles as the retry schedule: if we die mid-send, the row is due again later.
        row.next_attempt_at = now + dt.timedelta(seconds=settings.RREQ_RETRY_SECONDS)
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _post(row: ResultDelivery) -> requests.Response:
    cert = (settings.RREQ_CLIENT_CERT, settings.RREQ_CLIENT_KEY) if settings.RREQ_CLIENT_CERT else None
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if protocol.at_least(row.transaction.message_version, "2.3.1"):
        headers["X-Request-ID"] = str(row.transaction.acs_trans_id)
    return _session.post(
        row.transaction.ds_url,
        data=protocol.dumps_message(row.payload),
        headers=headers,
        timeout=(settings.RREQ_CONNECT_TIMEOUT, settings.RREQ_READ_TIMEOUT),
        cert=cert,
        verify=settings.RREQ_CA_BUNDLE or True,
        allow_redirects=False,
    )


@dataclass(frozen=True)
class Outcome:
    status: str  # a ResultDelivery.Status value, or "retry"
    detail: str = ""


def _judge(row: ResultDelivery, response: requests.Response) -> tuple[Outcome, dict[str, Any] | None]:
    try:
        reply = protocol.parse_ds_reply(response.content)
    except ProtocolError as error:
        return Outcome(
            "retry", f"HTTP {response.status_code}: unreadable reply ({error.code} {error.detail})"
        ), None
    body = reply.model_dump(exclude_none=True)
    if isinstance(reply, protocol.Erro):
        if reply.errorCode == "312" and row.attempts > 1:
            return Outcome(ResultDelivery.Status.DELIVERED, "DS already had this result (312)"), body
        return Outcome(ResultDelivery.Status.REFUSED, f"Erro {reply.errorCode}: {reply.errorDetail}"), body
    if str(reply.acsTransID) != str(row.transaction.acs_trans_id):
        return Outcome(ResultDelivery.Status.REFUSED, "RRes for another transaction"), body
    return Outcome(ResultDelivery.Status.DELIVERED, f"resultsStatus {reply.resultsStatus}"), body


def _send_once(row: ResultDelivery) -> Outcome:
    try:
        response = _post(row)
    except requests.ConnectionError as exc:
        return Outcome("connection", f"connection failed: {type(exc).__name__}")
    except requests.Timeout:
        return Outcome("retry", "no RRes within the read timeout (402)")
    except requests.RequestException as exc:
        return Outcome("retry", f"request failed: {type(exc).__name__}")
    outcome, body = _judge(row, response)
    row.response = body
    return outcome


def _record(row: ResultDelivery, outcome: Outcome) -> None:
    fields = ["last_error", "response"]
    row.last_error = "" if outcome.status == ResultDelivery.Status.DELIVERED else outcome.detail[:500]
    if outcome.status in (ResultDelivery.Status.DELIVERED, ResultDelivery.Status.REFUSED):
        row.status = outcome.status
        row.delivered_at = timezone.now()
        fields += ["status", "delivered_at"]
    ResultDelivery.objects.filter(pk=row.pk, status=ResultDelivery.Status.PENDING).update(
        **{name: getattr(row, name) for name in fields}
    )


def result_send(*, delivery_id: int, now: dt.datetime | None = None) -> ResultDelivery | None:
    """Try to deliver one due RReq; after a connection failure retry at once, once [Req 240]."""
    row = _claim(delivery_id, now or timezone.now())
    if row is None:
        return None
    outcome = _send_once(row)
    if outcome.status == "connection":
        outcome = _send_once(row)
    _record(row, outcome)
    if outcome.status not in (ResultDelivery.Status.DELIVERED,):
        log.warning("RReq %s for %s: %s", row.pk, row.transaction.acs_trans_id, outcome.detail)
    row.refresh_from_db()
    return row


def results_deliver_due(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Send every due RReq once; return how many were delivered."""
    now = now or timezone.now()
    due = ResultDelivery.objects.filter(status=ResultDelivery.Status.PENDING, next_attempt_at__lte=now)
    delivered = 0
    for delivery_id in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        row = result_send(delivery_id=delivery_id, now=now)
        if row is not None and row.status == ResultDelivery.Status.DELIVERED:
            delivered += 1
    return delivered
