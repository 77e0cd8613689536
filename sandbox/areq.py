"""The AReq a 3DS Server and its Directory Server would send for a sandbox checkout. Pure.

The browser fields come from the shopper's real browser: the checkout page's script reads the
screen, colour depth, time zone and language, and the server adds the user agent, the Accept
header and the IP address of the request (reference §2.1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Final

from acs.protocol.areq import SUPPORTED_COLOR_DEPTHS
from sandbox.demo_cards import DemoCard

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$")

# The sandbox merchant's acquirer and 3DS Server identity (synthetic values).
ACQUIRER_BIN: Final = "400551"
ACQUIRER_MERCHANT_ID: Final = "SANDBOX-MID-0001"
MCC: Final = "5732"  # electronics stores
JAPAN: Final = "392"  # ISO 3166-1 and ISO 4217 numeric: Japan, yen
REQUESTOR_ID: Final = "SANDBOX-REQ-0001"
DS_REFERENCE_NUMBER: Final = "DS_REF_SANDBOX"
SERVER_REFERENCE_NUMBER: Final = "3DSS_REF_SANDBOX"


@dataclass(frozen=True)
class BrowserInfo:
    """What the 3DS Server knows of the shopper's browser."""

    accept_header: str
    user_agent: str
    ip: str
    javascript_enabled: bool
    language: str = ""
    color_depth: int | None = None
    screen_width: int | None = None
    screen_height: int | None = None
    tz_offset: int | None = None  # minutes, as Date.getTimezoneOffset() (UTC+9 is -540)
    accept_language: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Endpoints:
    """The absolute URLs the AReq names: all of them on the merchant's own host."""

    ds_url: str
    notification_url: str
    requestor_url: str
    server_url: str


def accept_languages(header: str) -> list[str]:
    """Return the language tags of an Accept-Language header, in the order given."""
    tags = []
    for part in header.split(","):
        tag = part.split(";", 1)[0].strip()
        if tag and tag != "*" and _LANGUAGE_TAG.match(tag) and len(tag) <= 100:
            tags.append(tag)
    return tags[:99]


def _color_depth(depth: int, version: str) -> str:
    if version == "2.3.1":
        return str(min(max(depth, 1), 99))
    # 2.1/2.2 list the values a screen can have; round down to one of them (30 -> 24).
    return str(max((d for d in SUPPORTED_COLOR_DEPTHS if d <= depth), default=1))


def _language(tag: str, version: str) -> str:
    limit = 35 if version == "2.3.1" else 8
    if len(tag) <= limit:
        return tag
    return tag.split("-", 1)[0][:limit]


def _browser_fields(browser: BrowserInfo, version: str, language: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "browserAcceptHeader": browser.accept_header[:2048] or "text/html",
        "browserUserAgent": browser.user_agent[:2048] or "unknown",
        "browserJavaEnabled": False,
    }
    if browser.ip:
        fields["browserIP"] = browser.ip[:45]
    if version != "2.1.0":
        fields["browserJavascriptEnabled"] = browser.javascript_enabled
    # 2.1.0 has no JavaScript flag and always wants these; later versions only when JS ran.
    if browser.javascript_enabled or version == "2.1.0":
        fields.update(
            browserLanguage=_language(language or "ja-JP", version),
            browserColorDepth=_color_depth(browser.color_depth or 24, version),
            browserScreenHeight=str(browser.screen_height or 768)[:6],
            browserScreenWidth=str(browser.screen_width or 1024)[:6],
            browserTZ=str(browser.tz_offset if browser.tz_offset is not None else -540),
        )
    else:
        fields.pop("browserJavaEnabled")
    if version == "2.3.1":
        fields["acceptLanguage"] = browser.accept_language or [_language(language or "ja-JP", version)]
    return fields


def build_areq(
    *,
    version: str,
    card: DemoCard,
    amount: int,
    merchant_name: str,
    challenge_ind: str,
    comp_ind: str,
    browser: BrowserInfo,
    browser_language: str,
    three_ds_server_trans_id: str,
    ds_trans_id: str,
    endpoints: Endpoints,
    now: dt.datetime,
) -> dict[str, Any]:
    """Build a browser payment AReq (messageCategory 01, deviceChannel 02) for `version`.

    `browser_language` overrides the browser's own language when not empty (the sandbox lets
    the tester pick the cardholder's language).
    """
    message: dict[str, Any] = {
        "messageType": "AReq",
        "messageVersion": version,
        "messageCategory": "01",
        "deviceChannel": "02",
        "threeDSServerTransID": three_ds_server_trans_id,
        "dsTransID": ds_trans_id,
        "dsReferenceNumber": DS_REFERENCE_NUMBER,
        "dsURL": endpoints.ds_url,
        "threeDSServerRefNumber": SERVER_REFERENCE_NUMBER,
        "threeDSServerURL": endpoints.server_url,
        "threeDSRequestorID": REQUESTOR_ID,
        "threeDSRequestorName": merchant_name[:40],
        "threeDSRequestorURL": endpoints.requestor_url,
        "threeDSRequestorAuthenticationInd": "01",
        "threeDSRequestorChallengeInd": [challenge_ind] if version == "2.3.1" else challenge_ind,
        "threeDSCompInd": comp_ind,
        "acctNumber": card.pan,
        "cardExpiryDate": card.expiry_yymm,
        "acquirerBIN": ACQUIRER_BIN,
        "acquirerMerchantID": ACQUIRER_MERCHANT_ID,
        "mcc": MCC,
        "merchantCountryCode": JAPAN,
        "merchantName": merchant_name[:40],
        "purchaseAmount": str(amount),
        "purchaseCurrency": JAPAN,
        "purchaseExponent": "0",
        "purchaseDate": now.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S"),
        "notificationURL": endpoints.notification_url,
        **_browser_fields(browser, version, browser_language or browser.language),
        "cardholderName": card.cardholder_name,
        "email": card.email,
        "mobilePhone": {"cc": "81", "subscriber": card.mobile_subscriber},
        "billAddrCountry": JAPAN,
        "shipAddrCountry": JAPAN,
        "addrMatch": "Y",
    }
    if version == "2.3.1":
        message["acquirerCountryCode"] = JAPAN
        message["acquirerCountryCodeSource"] = "01"  # set by the 3DS Server
    return message


def mask_areq(areq: dict[str, Any]) -> dict[str, Any]:
    """Return a copy with acctNumber masked (first six, last four): what the sandbox stores."""
    masked = dict(areq)
    pan = str(masked.get("acctNumber", ""))
    if pan:
        masked["acctNumber"] = pan[:6] + "*" * max(len(pan) - 10, 0) + pan[-4:]
    return masked
