"""Deliver each challenge's result to the Directory Server (RReq) through a durable outbox.

`result_queue` writes the RReq in the same database transaction that ends the challenge, so a
result cannot be lost. `result_send` claims the row, commits the claim, POSTs, and records the
answer. Exactly-once delivery across a network is impossible; what we guarantee:

- a row recorded as delivered is never sent again;
- a claim holds the row for `claim_lease()`, longer than the slowest send, so two workers never
  send it side by side; a failed attempt is due again `RREQ_RETRY_SECONDS` after it ended;
- a process killed between the POST and the record leaves the row pending with its claim, and it
  is sent again when the lease runs out. A DS that already had it answers Erro 312 (duplicate
  message); we record that answer to a repeated attempt as delivered, so the DS processes the
  result once and we do not loop;
- no answer within the read timeout sends the DS an Erro 402 [Req 242], and the RReq is sent
  again on the same schedule; a reply that is neither a valid RRes nor an Erro is answered with
  the Erro naming its fault (101, 201, 203...) and ends the delivery (spec 5.9.12).

The stored RReq has no authentication value; it is added from the transaction when sending.
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

# Seconds to wait for the DS to take an Erro: its answer carries nothing we need, and the
# browser may be waiting for the final CRes meanwhile.
ERRO_READ_TIMEOUT = 2.0
# Added to the timeouts in a claim's lease: DNS and TLS happen outside the connect timeout, and
# the database may be slow to record the answer.
CLAIM_MARGIN_SECONDS = 15


def claim_lease() -> dt.timedelta:
    """Return how long a claimed row stays out of other workers' reach: past the slowest send.

    The slowest send is the RReq twice (the immediate retry after a connection failure
    [Req 240], which may come after the request went out) and then an Erro to the DS.
    """
    rreq = settings.RREQ_CONNECT_TIMEOUT + settings.RREQ_READ_TIMEOUT
    erro = settings.RREQ_CONNECT_TIMEOUT + ERRO_READ_TIMEOUT
    return dt.timedelta(seconds=2 * rreq + erro + CLAIM_MARGIN_SECONDS)


def result_queue(*, txn: Transaction, rreq: dict[str, Any]) -> ResultDelivery:
    """Queue the RReq; call inside the atomic block that completes the transaction.

    The authentication value is left out: it is a bearer credential, which the transaction keeps
    encrypted at rest; `_rreq_of` puts it back as the RReq leaves.
    """
    payload = {name: value for name, value in rreq.items() if name != "authenticationValue"}
    return ResultDelivery.objects.create(transaction=txn, payload=payload, next_attempt_at=timezone.now())


def _rreq_of(row: ResultDelivery) -> dict[str, Any]:
    # The RReq carries the value exactly when the transaction has one (Y), as services._rreq built it.
    value = row.transaction.authentication_value
    return {**row.payload, "authenticationValue": value} if value else row.payload


def _claim(delivery_id: int) -> ResultDelivery | None:
    # The clock is read now, not when the pass began: after slow rows earlier in the pass, the
    # pass's start is long gone and a lease counted from it would already have run out.
    now = timezone.now()
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
        # The lease: no other worker takes the row while we send; if we die mid-send, it is due
        # again when the lease runs out. `_record` sets the retry time once the attempt ends.
        row.next_attempt_at = now + claim_lease()
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _post(txn: Transaction, message: dict[str, Any], *, read_timeout: float) -> requests.Response:
    cert = (settings.RREQ_CLIENT_CERT, settings.RREQ_CLIENT_KEY) if settings.RREQ_CLIENT_CERT else None
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if message["messageType"] == "RReq" and protocol.at_least(txn.message_version, "2.3.1"):
        headers["X-Request-ID"] = str(txn.acs_trans_id)
    return _session.post(
        txn.ds_url,
        data=protocol.dumps_message(message),
        headers=headers,
        timeout=(settings.RREQ_CONNECT_TIMEOUT, read_timeout),
        cert=cert,
        verify=settings.RREQ_CA_BUNDLE or True,
        allow_redirects=False,
    )


FINAL = (ResultDelivery.Status.DELIVERED, ResultDelivery.Status.REFUSED, ResultDelivery.Status.INVALID)


@dataclass(frozen=True)
class Outcome:
    status: str  # a ResultDelivery.Status value, or "retry"
    detail: str = ""


def _judge(row: ResultDelivery, response: requests.Response) -> tuple[Outcome, dict[str, Any] | None]:
    try:
        reply = protocol.parse_ds_reply(response.content)
        if isinstance(reply, protocol.RRes):
            protocol.check_rres(reply, rreq=row.payload)
    except ProtocolError as error:
        return _invalid_reply(row.transaction, response, error), _json_object(response.content)
    body = reply.model_dump(exclude_none=True)
    if isinstance(reply, protocol.Erro):
        if reply.errorCode == "312" and row.attempts > 1:
            return Outcome(ResultDelivery.Status.DELIVERED, "DS already had this result (312)"), body
        return Outcome(ResultDelivery.Status.REFUSED, f"Erro {reply.errorCode}: {reply.errorDetail}"), body
    return Outcome(ResultDelivery.Status.DELIVERED, f"resultsStatus {reply.resultsStatus}"), body


def _invalid_reply(txn: Transaction, response: requests.Response, error: ProtocolError) -> Outcome:
    """Tell the DS what is wrong with its reply (spec 5.9.12); the RReq is not sent again."""
    problem = f"HTTP {response.status_code}: invalid reply ({error.code} {error.detail})"
    if error.code == "101" and not 200 <= response.status_code < 300:
        # An error page from a proxy on the way, not a reply from the DS: the RReq may never
        # have reached it, so it is sent again like after a timeout.
        return Outcome("retry", problem)
    if error.message_type == "Erro":
        # An Erro is never answered with another one: two parties could trade them forever.
        return Outcome(ResultDelivery.Status.INVALID, problem)
    erro = txn.erro(error.code, error.detail, message_type=error.message_type)
    return Outcome(ResultDelivery.Status.INVALID, f"{problem}; Erro {error.code} {_notify(txn, erro)}")


def _notify(txn: Transaction, erro: dict[str, Any]) -> str:
    """Post an Erro to the DS, best effort: say how it went, never raise."""
    try:
        _post(txn, erro, read_timeout=ERRO_READ_TIMEOUT)
    except requests.ConnectionError as exc:  # a ConnectTimeout too: nothing was sent
        outcome = f"not sent to the DS: {type(exc).__name__}"
    except requests.Timeout:
        return "sent to the DS (no answer)"
    except requests.RequestException as exc:
        outcome = f"not sent to the DS: {type(exc).__name__}"
    else:
        return "sent to the DS"
    log.warning("Erro %s for %s %s", erro["errorCode"], txn.acs_trans_id, outcome)
    return outcome


def _json_object(content: bytes) -> dict[str, Any] | None:
    # What an invalid reply said, for support; None when it is not even a JSON object.
    try:
        return protocol.loads_message(content)
    except ProtocolError:
        return None


def _timed_out(txn: Transaction) -> Outcome:
    # [Req 242]: no RRes or Erro within the read timeout -> Erro 402 to the DS; the outbox still
    # sends the RReq again on its schedule, whatever became of the Erro.
    erro = txn.erro("402", "RRes", message_type="RReq")
    return Outcome("retry", f"no RRes within the read timeout; Erro 402 {_notify(txn, erro)}")


def _send_once(row: ResultDelivery) -> Outcome:
    try:
        response = _post(row.transaction, _rreq_of(row), read_timeout=settings.RREQ_READ_TIMEOUT)
    except requests.ConnectionError as exc:
        return Outcome("connection", f"connection failed: {type(exc).__name__}")
    except requests.Timeout:
        return _timed_out(row.transaction)
    except requests.RequestException as exc:
        return Outcome("retry", f"request failed: {type(exc).__name__}")
    outcome, body = _judge(row, response)
    row.response = body
    return outcome


def _record(row: ResultDelivery, outcome: Outcome) -> None:
    fields = ["last_error", "response"]
    row.last_error = "" if outcome.status == ResultDelivery.Status.DELIVERED else outcome.detail[:500]
    pending = ResultDelivery.objects.filter(pk=row.pk, status=ResultDelivery.Status.PENDING)
    if outcome.status in FINAL:
        row.status = outcome.status
        row.delivered_at = timezone.now()
        fields += ["status", "delivered_at"]
    else:
        # Due again RREQ_RETRY_SECONDS after this attempt ended, not after the lease. Only while
        # the claim is still ours: had the lease run out and another worker claimed the row, its
        # lease must stand.
        row.next_attempt_at = timezone.now() + dt.timedelta(seconds=settings.RREQ_RETRY_SECONDS)
        fields.append("next_attempt_at")
        pending = pending.filter(attempts=row.attempts)
    pending.update(**{name: getattr(row, name) for name in fields})


def result_send(*, delivery_id: int) -> ResultDelivery | None:
    """Try to deliver one due RReq; after a connection failure retry at once, once [Req 240]."""
    row = _claim(delivery_id)
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


def results_deliver_due(*, limit: int = 100) -> int:
    """Send every due RReq once; return how many were delivered.

    Another worker may claim a listed row while this pass sends earlier ones: `_claim` checks
    again, at its own time, and skips it.
    """
    due = ResultDelivery.objects.filter(
        status=ResultDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    delivered = 0
    for delivery_id in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        row = result_send(delivery_id=delivery_id)
        if row is not None and row.status == ResultDelivery.Status.DELIVERED:
            delivered += 1
    return delivered
