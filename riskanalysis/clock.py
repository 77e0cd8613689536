"""The risk clock: the time velocity windows and history are measured against.

In production it is the wall clock. The traffic simulator replays days in minutes, so it runs
with RISK_CLOCK="purchase_date": the AReq's purchaseDate stands for "now". Settings refuse that
outside APP_ENV=local, because a requestor could otherwise move its own velocity windows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from riskanalysis.facts import Facts


def now_for(facts: Facts) -> dt.datetime:
    if settings.RISK_CLOCK == "purchase_date" and facts.purchase_time is not None:
        return facts.purchase_time
    return timezone.now()
