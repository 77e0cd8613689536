"""What the ACS tells risk analysis about one authentication: one plain, immutable object.

`acs` gathers these from the AReq, the 3DS Method and the card record; `riskanalysis` never
reads the ACS's tables, so the dependency runs one way (acs -> riskanalysis). Raw personal data
(e-mail, phones, addresses, the IP address) lives here only in memory: whatever is kept for
analysis is a keyed pseudonym of it (riskanalysis.signals).

The service completes the facts before the engine sees them: `ip_country`, its UTC offsets and
the card's `history` (riskanalysis.history.History), so that the engine stays pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskanalysis.history import History


@dataclass(frozen=True, slots=True)
class Address:
    lines: tuple[str, ...] = ()
    city: str = ""
    post_code: str = ""
    state: str = ""
    country: str = ""  # ISO 3166-1 numeric

    @property
    def is_empty(self) -> bool:
        return not (any(self.lines) or self.city or self.post_code)


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """The AReq's acctInfo (the requestor's view of the cardholder's account), as sent."""

    age_ind: str = ""  # chAccAgeInd: 01 guest, 02 created now, 03 <30 d, 04 30-60 d, 05 >60 d
    change_ind: str = ""  # chAccChangeInd
    password_change_ind: str = ""  # chAccPwChangeInd
    ship_address_usage_ind: str = ""  # shipAddressUsageInd: 01 first use now ... 04 >60 d
    suspicious_activity: str = ""  # suspiciousAccActivity: 02 suspicious activity observed
    txn_activity_day: int | None = None
    txn_activity_year: int | None = None
    provision_attempts_day: int | None = None
    purchases_6_months: int | None = None  # nbPurchaseAccount


@dataclass(frozen=True, slots=True)
class MerchantRisk:
    """The AReq's merchantRiskIndicator."""

    ship_indicator: str = ""  # 01 billing address, 03 other address, 05 digital goods, 07 other
    delivery_timeframe: str = ""  # 01 electronic delivery
    gift_card_amount: int | None = None
    gift_card_count: int | None = None
    reorder: str = ""
    pre_order: str = ""


@dataclass(frozen=True, slots=True)
class MethodDevice:
    """What the rules use of the 3DS Method's collection; identifiers are pseudonyms already.

    The rest of the device profile (languages, platform, ...) is kept for support staff only.
    """

    device_id_key: str = ""
    fingerprint_key: str = ""
    timezone_offset: int | None = None  # getTimezoneOffset(): UTC+9 is -540


@dataclass(frozen=True, slots=True)
class Facts:
    message_version: str
    amount_minor: int
    currency: str  # ISO 4217 numeric
    exponent: int  # ISO 4217 minor units where the currency has them (acs sees to it)
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

    # --- Transaction -----------------------------------------------------------------------
    three_ds_server_trans_id: str = ""
    purchase_time: dt.datetime | None = None  # purchaseDate, UTC
    acquirer_merchant_id: str = ""
    cardholder_name: str = ""
    email: str = ""
    phones: tuple[str, ...] = ()  # E.164 digits without "+", e.g. "819011110001"
    bill_address: Address = field(default_factory=Address)
    ship_address: Address = field(default_factory=Address)
    addr_match: str = ""  # "Y", "N" or "" when absent
    account: AccountInfo = field(default_factory=AccountInfo)
    merchant_risk: MerchantRisk = field(default_factory=MerchantRisk)

    # --- Browser (AReq) --------------------------------------------------------------------
    browser_tz: int | None = None  # browserTZ: minutes as getTimezoneOffset(), UTC+9 is -540
    browser_screen: str = ""  # "1440x900"
    browser_color_depth: str = ""
    browser_accept_header: str = ""
    browser_java_enabled: bool | None = None
    three_ds_comp_ind: str = ""  # "Y", "N", "U" or "" when absent
    method: MethodDevice | None = None  # None when no 3DS Method data was collected

    # --- Card and member (compared by acs with the issuer's records) -----------------------
    card_ref: str = ""  # the PAN's keyed fingerprint; riskanalysis re-keys it with its own key
    name_matches: bool | None = None
    email_matches: bool | None = None  # None: no e-mail in the AReq or none registered
    phone_matches: bool | None = None
    account_age_days: int | None = None  # My Net+ account; None when not registered
    enrolment_age_days: int | None = None

    # --- Derived by riskanalysis.service before the engine runs ----------------------------
    ip_country: str | None = None  # ISO 3166-1 alpha-2 of browser_ip, offline
    ip_country_offsets: frozenset[int] = frozenset()  # plausible browser_tz values there
    history: History | None = None

    @property
    def amount_major(self) -> float:
        return self.amount_minor / (10**self.exponent)
