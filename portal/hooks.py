"""What the portal needs from the ACS, without importing it (dependencies run acs -> portal).

The ACS registers `authentication_history` when it starts, and listens to `fraud_reported` to
mark the transaction in risk analysis.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

from portal.models import Card


@dataclass(frozen=True)
class AuthenticationSummary:
    acs_trans_id: uuid.UUID
    at: dt.datetime
    merchant: str
    amount: str
    result: str  # "authenticated", "frictionless", "failed", "rejected", "in_progress"


HistorySource = Callable[[Card, int], list[AuthenticationSummary]]
_history: list[HistorySource] = []

# Sent with card and acs_trans_id when a member reports a transaction ("this wasn't me").
fraud_reported = Signal()


def register_authentication_history(source: HistorySource) -> None:
    if source not in _history:
        _history.append(source)


def authentication_history(card: Card, limit: int = 10) -> list[AuthenticationSummary]:
    return [item for source in _history for item in source(card, limit)][:limit]
