"""What the pseudonymised history says about one authentication: plain values, no database.

`riskanalysis.selectors.history_for` fills it in a few indexed queries; the engine reads it.
Signal kinds name what a pseudonym stands for; the card's signals are looked up by the values
this AReq presents, so `seen` holds at most one entry per kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    DEVICE_ID = "device_id"  # the 3DS Method's stored device id
    FINGERPRINT = "fingerprint"  # the 3DS Method's stable browser attributes
    BROWSER = "browser"  # the AReq's browser fields (user agent, screen, language, time zone)
    BROWSER_NET = "browser_net"  # the AReq's browser on its IP /24 or /48
    IP_PREFIX = "ip_prefix"
    SHIP_ADDR = "ship_addr"
    EMAIL = "email"
    PHONE = "phone"
    MERCHANT = "merchant"


METHOD_DEVICE_KINDS = (Kind.DEVICE_ID, Kind.FINGERPRINT)


@dataclass(frozen=True, slots=True)
class Seen:
    """How often a card met a value: every sighting, and those in authenticated transactions."""

    count: int
    trusted: int  # frictionless answers and passed challenges
    first_seen: dt.datetime
    last_seen: dt.datetime


@dataclass(frozen=True, slots=True)
class Window:
    """Counts over the last 10 minutes, hour and day (capped: bursts are counted up to a limit)."""

    m10: int = 0
    h1: int = 0
    h24: int = 0


@dataclass(frozen=True, slots=True)
class History:
    now: dt.datetime
    card_auths: int = 0  # authentications of the card in the retention period
    card_trusted_auths: int = 0
    card_first_seen: dt.datetime | None = None
    # Log-yen amounts of the card's authenticated purchases: count, mean, standard deviation, max.
    amount_n: int = 0
    amount_log_mean: float = 0.0
    amount_log_std: float = 0.0
    amount_max_yen: int = 0
    last_fraud_at: dt.datetime | None = None
    fraud_marks: int = 0
    last_challenge_failed_at: dt.datetime | None = None
    challenge_failures: int = 0  # failed challenges since the last passed one
    last_challenge_passed_at: dt.datetime | None = None
    seen: dict[Kind, Seen] = field(default_factory=dict)
    card_velocity: Window = field(default_factory=Window)  # prior authentications of this card
    device_velocity: Window = field(default_factory=Window)  # ... from this 3DS Method device
    ip_velocity: Window = field(default_factory=Window)  # ... from this IP prefix
    # Distinct other cards seen with this entity (the current card excluded).
    device_cards: Window = field(default_factory=Window)  # 3DS Method device (id or fingerprint)
    browser_net_cards: Window = field(default_factory=Window)
    ip_cards: Window = field(default_factory=Window)
    device_cards_ever: int = 0  # in the retention period, capped
    denied: frozenset[Kind] = frozenset()  # kinds of this AReq's values on the deny list

    @property
    def has_trusted_history(self) -> bool:
        return self.card_trusted_auths > 0

    def trusted(self, kind: Kind) -> bool:
        seen = self.seen.get(kind)
        return seen is not None and seen.trusted > 0
