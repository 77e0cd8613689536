"""What the ACS tells risk analysis about one authentication: one plain, immutable object.

`acs` gathers these from the AReq, the 3DS Method and the card record; `riskanalysis` never
reads the ACS's tables, so the dependency runs one way (acs -> riskanalysis).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Facts:
    message_version: str
    amount_minor: int
    currency: str  # ISO 4217 numeric
    exponent: int
    merchant_name: str
    mcc: str
    merchant_country: str
    requestor_id: str
    challenge_indicators: tuple[str, ...]
    authentication_indicator: str
    card_known: bool
    card_status: str | None  # "active", "lost", "replaced", "closed"; None when no card record
    enrolled: bool
    enrolment_method: str | None
    card_expiry_matches: bool | None = None  # None when the AReq carried no expiry date
    browser_ip: str = ""
    browser_language: str = ""
    browser_user_agent: str = ""
    browser_javascript_enabled: bool | None = None

    @property
    def amount_major(self) -> float:
        return self.amount_minor / (10**self.exponent)
