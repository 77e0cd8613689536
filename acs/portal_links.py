"""What the ACS tells My Net+: recent authentications of a card, and fraud reports to risk."""

from __future__ import annotations

from acs import presentation
from acs.models import Transaction
from portal.hooks import AuthenticationSummary
from portal.models import Card


def _result(txn: Transaction) -> str:
    if txn.state in (Transaction.State.AWAITING_CREQ, Transaction.State.CHALLENGING):
        return "in_progress"
    if txn.trans_status in ("Y", "A"):
        return "authenticated" if txn.state == Transaction.State.COMPLETED else "frictionless"
    return "rejected" if txn.trans_status == "R" else "failed"


def recent_authentications(card: Card, limit: int) -> list[AuthenticationSummary]:
    rows = Transaction.objects.filter(card=card).order_by("-created_at")[:limit]
    return [
        AuthenticationSummary(
            acs_trans_id=txn.acs_trans_id,
            at=txn.created_at,
            merchant=txn.merchant_name,
            amount=presentation.format_amount(
                txn.purchase_amount, txn.purchase_currency, txn.purchase_exponent
            ),
            result=_result(txn),
        )
        for txn in rows
    ]
