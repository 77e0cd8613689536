"""The sandbox Directory Server's results leg: take the ACS's RReq, answer an RRes (reference §2.4).

A real DS relays the RReq to the 3DS Server and the RRes back; the sandbox is both, so it
records the RReq on the purchase and answers `resultsStatus` 01 itself. Anything it cannot
accept is answered with an Erro from component D, as a DS would.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from acs import protocol
from acs.protocol import ProtocolError
from sandbox.models import DemoPurchase
from sandbox.services import log_event

ID_FIELDS = ("threeDSServerTransID", "acsTransID", "dsTransID")


def _error(code: str, detail: str, raw: dict[str, Any], version: str | None = None) -> ProtocolError:
    ids = {name: raw[name] for name in ID_FIELDS if isinstance(raw.get(name), str)}
    return ProtocolError(code, detail, message_type="RReq", message_version=version, ids=ids, component="D")


def _checked(raw: dict[str, Any]) -> str:
    """Check the RReq's envelope and fields; return its version or raise ProtocolError."""
    if raw.get("messageType") != "RReq":
        raise _error("101", "messageType", raw)
    version = raw.get("messageVersion")
    if version not in protocol.SUPPORTED_VERSIONS:
        raise _error("102", ",".join(protocol.SUPPORTED_VERSIONS), raw)
    try:
        protocol.RReq.model_validate(raw)
    except ValidationError as exc:
        problems = exc.errors(include_url=False, include_input=False)
        missing = [".".join(map(str, e["loc"])) for e in problems if e["type"] == "missing"]
        named = [".".join(map(str, e["loc"])) or e["msg"] for e in problems]
        code, fields = ("201", missing) if missing else ("203", named)
        raise _error(code, ",".join(dict.fromkeys(fields)), raw, str(version)) from None
    return str(version)


def rreq_receive(body: bytes) -> dict[str, Any]:
    """Record one RReq and return the RRes (or the Erro) to answer with."""
    try:
        raw = protocol.loads_message(body)
    except ProtocolError as error:
        error.component = "D"
        error.message_type = None
        return protocol.build_erro(error)
    try:
        return _record(raw, _checked(raw))
    except ProtocolError as error:
        return protocol.build_erro(error)


def _rres(rreq: dict[str, Any], version: str) -> dict[str, Any]:
    ids = {name: rreq[name] for name in ID_FIELDS}
    return {"messageType": "RRes", "messageVersion": version, **ids, "resultsStatus": "01"}


def _record(rreq: dict[str, Any], version: str) -> dict[str, Any]:
    """Keep the RReq on its purchase and return the RRes, also kept."""
    with transaction.atomic():
        purchase = (
            DemoPurchase.objects.select_for_update()
            .filter(
                three_ds_server_trans_id=rreq["threeDSServerTransID"],
                acs_trans_id=rreq["acsTransID"],
                ds_trans_id=rreq["dsTransID"],
            )
            .first()
        )
        if purchase is None:
            raise _error("301", "threeDSServerTransID,acsTransID,dsTransID", rreq, rreq["messageVersion"])
        if purchase.rreq is not None:
            # [Req 66]: exactly one RReq per challenge; a repeat is a duplicate message.
            raise _error("312", "acsTransID", rreq, rreq["messageVersion"])
        purchase.rreq = rreq
        purchase.rreq_received_at = timezone.now()
        purchase.rres = _rres(rreq, version)
        status, reason = rreq.get("transStatus"), rreq.get("transStatusReason")
        cancel = rreq.get("challengeCancel")
        text = f"RReq from the ACS: transStatus {status}" + (f" / reason {reason}" if reason else "")
        text += f" / challengeCancel {cancel}" if cancel else ""
        log_event(purchase, text, at=purchase.rreq_received_at)
        purchase.save(update_fields=["rreq", "rreq_received_at", "rres", "events", "updated_at"])
    return purchase.rres
