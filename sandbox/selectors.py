"""Reads for the sandbox pages: the phone inbox, a purchase's messages and timings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final

from portal.masking import mask_phone
from portal.sms.models import SmsMessage
from sandbox.models import DemoPurchase

INBOX_SIZE: Final = 50
# Phone numbers are encrypted at rest, so the filter reads the latest messages and matches here.
FILTER_WINDOW: Final = 500


@dataclass(frozen=True)
class Sms:
    pk: int
    masked_number: str
    body: str
    purpose: str
    status: str
    created_at: dt.datetime


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def sms_list(*, number: str = "") -> list[Sms]:
    """The newest SMS first; with `number`, only those to a phone ending in its digits."""
    wanted = _digits(number)
    rows = SmsMessage.objects.order_by("-created_at", "-pk")[: FILTER_WINDOW if wanted else INBOX_SIZE]
    found = []
    for row in rows:
        to = str(row.to_number or "")
        if wanted and not _digits(to).endswith(wanted):
            continue
        found.append(
            Sms(row.pk, mask_phone(to), str(row.body or ""), row.purpose, row.status, row.created_at)
        )
        if len(found) == INBOX_SIZE:
            break
    return found


def _ms(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() * 1000)


def timings_of(purchase: DemoPurchase) -> list[tuple[str, int | None]]:
    """(label, milliseconds) of each leg that has happened."""
    rows: list[tuple[str, int | None]] = [
        ("3DS Method (checkout → notification)", purchase.method_ms),
        ("AReq → ARes", purchase.ares_ms),
        (
            "CReq → final CRes (cardholder time included)",
            _ms(purchase.creq_sent_at, purchase.cres_received_at),
        ),
        ("RReq → final CRes at the merchant", _ms(purchase.rreq_received_at, purchase.cres_received_at)),
        ("Checkout → result", _ms(purchase.created_at, purchase.cres_received_at or purchase.areq_sent_at)),
    ]
    return [(label, value) for label, value in rows if value is not None]


def messages_of(purchase: DemoPurchase) -> list[tuple[str, str]]:
    """The raw messages as pretty JSON, in protocol order (the AReq is stored masked)."""
    named: list[tuple[str, Any]] = [
        ("AReq (3DS Server → DS → ACS; acctNumber masked)", purchase.areq),
        ("ARes / Erro (ACS → DS → 3DS Server)", purchase.ares),
        ("CReq (browser → ACS)", purchase.creq),
        ("RReq (ACS → DS)", purchase.rreq),
        ("RRes (DS → ACS)", purchase.rres),
        ("Final CRes / Erro (ACS → browser → notificationURL)", purchase.cres),
    ]
    return [(name, json.dumps(value, indent=2, ensure_ascii=False)) for name, value in named if value]


STATUS_TEXT: Final = {
    "Y": "認証成功 Authenticated",
    "N": "認証失敗 Not authenticated",
    "U": "認証不可 Could not be performed",
    "A": "試行 Attempted",
    "C": "チャレンジ中 Challenge",
    "R": "拒否 Rejected",
    "I": "情報のみ Informational",
}
REASON_TEXT: Final = {
    "01": "card authentication failed",
    "05": "expired card",
    "08": "no card record",
    "11": "suspected fraud",
    "13": "cardholder not enrolled",
    "14": "timed out at the ACS",
    "19": "exceeds ACS maximum challenges",
    "26": "attempted but not performed by the cardholder",
}


@dataclass(frozen=True)
class Summary:
    trans_status: str
    status_text: str
    reason: str
    reason_text: str
    eci: str
    authentication_value: str
    challenge_cancel: str
    interaction_counter: str


def summary_of(purchase: DemoPurchase) -> Summary:
    """The result as the merchant sees it: from the ARes, or after a challenge from RReq and CRes."""
    source = purchase.outcome
    status = purchase.trans_status
    reason = str(source.get("transStatusReason", ""))
    return Summary(
        trans_status=status,
        status_text=STATUS_TEXT.get(status, ""),
        reason=reason,
        reason_text=REASON_TEXT.get(reason, ""),
        eci=str(source.get("eci", "")),
        authentication_value=str(source.get("authenticationValue", "")),
        challenge_cancel=str(source.get("challengeCancel", "")),
        interaction_counter=str(source.get("interactionCounter", "")),
    )
