"""AReq (DS -> ACS, Table A.1), one model per protocol version."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, Field, StringConstraints

from .erro import Erro, parse_message_or_erro
from .fields import (
    CURRENCY_EXPONENTS,
    Bool,
    Country,
    Currency,
    Date,
    DateTime,
    Email,
    IpAddress,
    Mcc,
    MessageExtensions,
    NotificationUrl,
    Opt,
    Part,
    Req,
    Url,
    Uuid,
    Version,
    YesNo,
    coded,
    codes,
    digits,
    text,
)
from .validation import Agrees, Message, Requires, absent, parse_message

# Two-digit code tables; values beyond the last defined one up to 79 are EMVCo-reserved (207).
Code = Annotated[str, digits(2)]
MessageCategory = Annotated[Code, coded(codes(1, 2))]
DeviceChannel = Annotated[Code, coded(codes(1, 3))]
AuthenticationInd22 = Annotated[Code, coded(codes(1, 6))]
AuthenticationInd231 = Annotated[Code, coded(codes(1, 10))]
ChallengeInd21 = Annotated[Code, coded(codes(1, 4))]
ChallengeInd22 = Annotated[Code, coded(codes(1, 9))]
ChallengeInd231 = Annotated[Code, coded(codes(1, 14))]
Source = Annotated[Code, coded(codes(1, 2))]  # acquirerCountryCodeSource: 3DS Server or DS
AcctType = Annotated[Code, coded(codes(1, 3))]

ColorDepth22 = Literal["1", "4", "8", "15", "16", "24", "32", "48"]
ColorDepth231 = Annotated[str, StringConstraints(pattern=r"^(?:[1-9]|0[1-9]|[1-9][0-9])$")]
SUPPORTED_COLOR_DEPTHS: Final = (1, 4, 8, 15, 16, 24, 32, 48)


def _more_than_one(value: str) -> str:
    if int(value) <= 1:
        raise ValueError("instalments must be more than 1")
    return value


def _decoupled_minutes(value: str) -> str:
    if not 1 <= int(value) <= 10080:
        raise ValueError("decoupled time out of 00001-10080")
    return value


class Phone(Part):
    """homePhone / mobilePhone / workPhone."""

    cc: Req[Annotated[str, digits(1, 3)]]
    subscriber: Req[Annotated[str, digits(1, 15)]]


class AcctInfo(Part):
    """Cardholder Account Information (Table A.10)."""

    chAccAgeInd: Opt[Literal["01", "02", "03", "04", "05"]] = None
    chAccDate: Opt[Date] = None
    chAccChange: Opt[Date] = None
    chAccChangeInd: Opt[Literal["01", "02", "03", "04"]] = None
    chAccPwChange: Opt[Date] = None
    chAccPwChangeInd: Opt[Literal["01", "02", "03", "04", "05"]] = None
    chAccReqID: Opt[Annotated[str, text(64)]] = None
    nbPurchaseAccount: Opt[Annotated[str, digits(1, 4)]] = None
    provisionAttemptsDay: Opt[Annotated[str, digits(1, 3)]] = None
    txnActivityDay: Opt[Annotated[str, digits(1, 3)]] = None
    txnActivityYear: Opt[Annotated[str, digits(1, 3)]] = None
    paymentAccAge: Opt[Date] = None
    paymentAccInd: Opt[Literal["01", "02", "03", "04", "05"]] = None
    shipAddressUsage: Opt[Date] = None
    shipAddressUsageInd: Opt[Literal["01", "02", "03", "04"]] = None
    shipNameIndicator: Opt[Literal["01", "02"]] = None
    suspiciousAccActivity: Opt[Literal["01", "02"]] = None


class MerchantRiskIndicator(Part):
    """Merchant Risk Indicator (Table A.11); 08/09 shipIndicator came with 2.3.1."""

    deliveryEmailAddress: Opt[Annotated[str, text(254)]] = None
    deliveryTimeframe: Opt[Literal["01", "02", "03", "04"]] = None
    giftCardAmount: Opt[Annotated[str, digits(1, 15)]] = None
    giftCardCount: Opt[Annotated[str, digits(1, 2)]] = None
    giftCardCurr: Opt[Currency] = None
    preOrderDate: Opt[Date] = None
    preOrderPurchaseInd: Opt[Literal["01", "02"]] = None
    reorderItemsInd: Opt[Literal["01", "02"]] = None
    shipIndicator: Opt[Literal["01", "02", "03", "04", "05", "06", "07", "08", "09"]] = None


Name50 = Annotated[str, text(50)]
PostCode = Annotated[str, text(16)]
State = Annotated[str, text(3)]  # ISO 3166-2 subdivision without the country prefix


def _exponent_not_iso(raw: Mapping[str, Any]) -> bool:
    # purchaseAmount counts minor units, so a free exponent would let a requestor shrink the
    # amount risk analysis sees (JPY 5000000 with exponent 2 reads as 50,000 yen), and the
    # authentication value binds the amount and currency, not the exponent.
    currency, exponent = raw.get("purchaseCurrency"), raw.get("purchaseExponent")
    if not isinstance(currency, str) or not isinstance(exponent, str) or not exponent:
        return False  # absent or of the wrong type: the field's own check reports it
    expected = CURRENCY_EXPONENTS.get(currency)
    return expected is not None and exponent != str(expected)


class AReq(Message):
    """An AReq as the ACS receives it; build it with parse_areq().

    Field names are the spec's. The version-dependent fields (challenge and authentication
    indicators, browser language, colour depth, cardholder name) are narrowed by the subclass of
    each version; read the challenge preference through `challenge_indicators`.
    """

    agreements = (Agrees("purchaseExponent", _exponent_not_iso),)

    messageType: Req[Literal["AReq"]]
    messageVersion: Req[Version]
    messageCategory: Req[MessageCategory]
    deviceChannel: Req[DeviceChannel]
    threeDSServerTransID: Req[Uuid]
    dsTransID: Req[Uuid]
    dsReferenceNumber: Req[Annotated[str, text(32)]]
    dsURL: Req[Url]
    threeDSServerRefNumber: Req[Annotated[str, text(32)]]
    threeDSServerOperatorID: Opt[Annotated[str, text(32)]] = None
    threeDSServerURL: Req[Url]
    threeDSRequestorID: Req[Annotated[str, text(35)]]
    threeDSRequestorName: Req[Annotated[str, text(40)]]
    threeDSRequestorURL: Req[Url]
    threeDSRequestorAuthenticationInd: Req[str]
    threeDSRequestorChallengeInd: str | list[str] | None = None
    threeDSRequestorDecReqInd: Opt[Literal["Y", "N", "F", "B"]] = None
    threeDSRequestorDecMaxTime: Opt[Annotated[str, digits(5), AfterValidator(_decoupled_minutes)]] = None
    threeDSCompInd: Opt[Literal["Y", "N", "U"]] = None
    threeDSMethodId: Opt[Uuid] = None

    acctNumber: Req[Annotated[str, digits(13, 19)]]
    acctType: Opt[AcctType] = None
    acctID: Opt[Annotated[str, text(64)]] = None
    cardExpiryDate: Opt[Annotated[str, StringConstraints(pattern=r"^[0-9]{2}(?:0[1-9]|1[0-2])$")]] = None

    acquirerBIN: Opt[Annotated[str, text(11)]] = None
    acquirerMerchantID: Opt[Annotated[str, text(35)]] = None
    acquirerCountryCode: Opt[Country] = None
    acquirerCountryCodeSource: Opt[Source] = None
    mcc: Opt[Mcc] = None
    merchantCountryCode: Opt[Country] = None
    merchantName: Opt[Annotated[str, text(40)]] = None

    purchaseAmount: Opt[Annotated[str, digits(1, 48)]] = None
    purchaseCurrency: Opt[Currency] = None
    purchaseExponent: Opt[Annotated[str, digits(1)]] = None
    purchaseDate: Opt[DateTime] = None
    purchaseInstalData: Opt[Annotated[str, digits(1, 3), AfterValidator(_more_than_one)]] = None
    recurringExpiry: Opt[Date] = None
    recurringFrequency: Opt[Annotated[str, digits(1, 4)]] = None
    transType: Opt[Literal["01", "03", "10", "11", "28"]] = None

    notificationURL: Opt[NotificationUrl] = None
    browserAcceptHeader: Opt[Annotated[str, text(2048)]] = None
    browserUserAgent: Opt[Annotated[str, text(2048)]] = None
    browserIP: Opt[IpAddress] = None
    browserJavaEnabled: Opt[Bool] = None
    browserJavascriptEnabled: Opt[Bool] = None
    browserLanguage: Opt[str] = None
    browserColorDepth: Opt[str] = None
    browserScreenHeight: Opt[Annotated[str, digits(1, 6)]] = None
    browserScreenWidth: Opt[Annotated[str, digits(1, 6)]] = None
    browserTZ: Opt[Annotated[str, StringConstraints(pattern=r"^[+-]?[0-9]{1,4}$")]] = None
    acceptLanguage: Opt[Annotated[list[Annotated[str, text(100)]], Field(min_length=1, max_length=99)]] = None
    deviceId: Opt[Annotated[str, text(64)]] = None
    userId: Opt[Annotated[str, text(64)]] = None

    cardholderName: Opt[str] = None
    email: Opt[Email] = None
    homePhone: Opt[Phone] = None
    mobilePhone: Opt[Phone] = None
    workPhone: Opt[Phone] = None
    billAddrCity: Opt[Name50] = None
    billAddrLine1: Opt[Name50] = None
    billAddrLine2: Opt[Name50] = None
    billAddrLine3: Opt[Name50] = None
    billAddrPostCode: Opt[PostCode] = None
    billAddrState: Opt[State] = None
    billAddrCountry: Opt[Country] = None
    shipAddrCity: Opt[Name50] = None
    shipAddrLine1: Opt[Name50] = None
    shipAddrLine2: Opt[Name50] = None
    shipAddrLine3: Opt[Name50] = None
    shipAddrPostCode: Opt[PostCode] = None
    shipAddrState: Opt[State] = None
    shipAddrCountry: Opt[Country] = None
    addrMatch: Opt[YesNo] = None
    acctInfo: Opt[AcctInfo] = None
    merchantRiskIndicator: Opt[MerchantRiskIndicator] = None
    payTokenInd: Opt[Literal[True]] = None
    messageExtension: Opt[MessageExtensions] = None

    @property
    def ids(self) -> dict[str, str]:
        """Return the transaction IDs of the AReq (for the ARes and any Erro)."""
        return {"threeDSServerTransID": self.threeDSServerTransID, "dsTransID": self.dsTransID}

    @property
    def challenge_indicators(self) -> tuple[str, ...]:
        """Return the requestor's challenge preferences in order; absent means 01 (no preference)."""
        value = self.threeDSRequestorChallengeInd
        if value is None:
            return ("01",)
        return (value,) if isinstance(value, str) else tuple(value)

    @property
    def is_browser(self) -> bool:
        """Tell whether the channel is the browser (02), the only one this ACS serves.

        APP (01) and 3RI (03) parse as valid messages; answer them with ARes U / reason 03.
        """
        return self.deviceChannel == "02"

    @property
    def is_payment(self) -> bool:
        """Tell whether this is a payment authentication (messageCategory 01)."""
        return self.messageCategory == "01"

    @cached_property  # read by the facts, the policy and the stored transaction: parsed once
    def purchase_datetime(self) -> dt.datetime | None:
        """Return purchaseDate as an aware UTC datetime."""
        if self.purchaseDate is None:
            return None
        return dt.datetime.strptime(self.purchaseDate, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)

    @property
    def cardholder_language(self) -> str:
        """Return the language the cardholder's texts follow: browserLanguage, or "" when unknown."""
        return self.browserLanguage or ""

    @property
    def browser_screen(self) -> str:
        """Return the browser's screen as "WIDTHxHEIGHT", or "" when the AReq has none."""
        return f"{self.browserScreenWidth}x{self.browserScreenHeight}" if self.browserScreenWidth else ""

    @property
    def color_depth(self) -> int | None:
        """Return browserColorDepth as one of the 2.1/2.2 values (bits per pixel).

        2.3.1 allows 1-99; like the spec's example (30 -> 24), round down to a listed value.
        """
        if self.browserColorDepth is None:
            return None
        depth = int(self.browserColorDepth)
        return max(supported for supported in SUPPORTED_COLOR_DEPTHS if supported <= depth)


def _browser(raw: Mapping[str, Any]) -> bool:
    return raw.get("deviceChannel") == "02"


def _javascript(raw: Mapping[str, Any]) -> bool:
    return _browser(raw) and raw.get("browserJavascriptEnabled") is True


def _payment(raw: Mapping[str, Any]) -> bool:
    return raw.get("messageCategory") == "01"


def _npa_purchase_for(*indicators: str) -> Requires:
    # A non-payment authentication still carries the purchase when it sets up recurring or
    # instalment payments (and, in 2.3.1, billing agreements and split or delayed shipments).
    return Requires(
        ("purchaseAmount", "purchaseCurrency", "purchaseExponent", "purchaseDate"),
        lambda raw: (
            raw.get("messageCategory") == "02" and raw.get("threeDSRequestorAuthenticationInd") in indicators
        ),
    )


_BROWSER_FIELDS = ("threeDSCompInd", "notificationURL", "browserAcceptHeader", "browserUserAgent")
_JAVASCRIPT_FIELDS = (
    "browserJavaEnabled",
    "browserLanguage",
    "browserColorDepth",
    "browserScreenHeight",
    "browserScreenWidth",
    "browserTZ",
)
# The predicates read untrusted raw values: compare with == or tuples, never hash them.
_COMMON_RULES = (
    Requires(
        (
            "merchantName",
            "mcc",
            "merchantCountryCode",
            "acquirerBIN",
            "acquirerMerchantID",
            "purchaseAmount",
            "purchaseCurrency",
            "purchaseExponent",
            "purchaseDate",
        ),
        _payment,
    ),
    Requires(_BROWSER_FIELDS, _browser),
    Requires(("billAddrCountry",), lambda raw: not absent(raw, "billAddrState")),
    Requires(("shipAddrCountry",), lambda raw: not absent(raw, "shipAddrState")),
    Requires(
        ("threeDSRequestorDecMaxTime",), lambda raw: raw.get("threeDSRequestorDecReqInd") in ("Y", "F", "B")
    ),
)


class AReq210(AReq):
    """AReq 2.1.0: no JavaScript flag, so every browser field is always required."""

    conditions = (*_COMMON_RULES, _npa_purchase_for("02", "03"), Requires(_JAVASCRIPT_FIELDS, _browser))

    threeDSRequestorAuthenticationInd: Req[AuthenticationInd22]
    threeDSRequestorChallengeInd: Opt[ChallengeInd21] = None
    browserLanguage: Opt[Annotated[str, text(8)]] = None
    browserColorDepth: Opt[ColorDepth22] = None
    cardholderName: Opt[Annotated[str, text(45, 2)]] = None


class AReq220(AReq):
    """AReq 2.2.0: browser fields are required when JavaScript is enabled."""

    conditions = (
        *_COMMON_RULES,
        _npa_purchase_for("02", "03"),
        Requires(("browserJavascriptEnabled",), _browser),
        Requires(_JAVASCRIPT_FIELDS, _javascript),
    )

    threeDSRequestorAuthenticationInd: Req[AuthenticationInd22]
    threeDSRequestorChallengeInd: Opt[ChallengeInd22] = None
    browserLanguage: Opt[Annotated[str, text(8)]] = None
    browserColorDepth: Opt[ColorDepth22] = None
    cardholderName: Opt[Annotated[str, text(45, 2)]] = None


# A BCP 47 tag as browserLanguage holds it (at most 35 characters in 2.3.1).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _first_language(accept_language: Sequence[str]) -> str | None:
    """Return the first usable tag of acceptLanguage (a stray ";q=" suffix and "*" ignored)."""
    for item in accept_language:
        tag = item.partition(";")[0].strip()
        if len(tag) <= 35 and _LANGUAGE_TAG.fullmatch(tag):
            return tag
    return None


class AReq231(AReq):
    """AReq 2.3.1: challenge indicator array, acceptLanguage and acquirer country required."""

    conditions = (
        *_COMMON_RULES,
        _npa_purchase_for("02", "03", "07", "08", "09"),
        Requires(("browserJavascriptEnabled", "acceptLanguage"), _browser),
        Requires(_JAVASCRIPT_FIELDS, _javascript),
        Requires(("acquirerCountryCode", "acquirerCountryCodeSource")),
    )

    threeDSRequestorAuthenticationInd: Req[AuthenticationInd231]
    threeDSRequestorChallengeInd: Opt[Annotated[list[ChallengeInd231], Field(min_length=1, max_length=2)]] = (
        None
    )
    browserLanguage: Opt[Annotated[str, text(35)]] = None
    browserColorDepth: Opt[ColorDepth231] = None
    cardholderName: Opt[Annotated[str, text(45)]] = None

    @property
    def cardholder_language(self) -> str:
        # Without JavaScript there is no browserLanguage; the first acceptLanguage tag tells the
        # cardholder's language (risk analysis still reads browserLanguage as sent).
        return self.browserLanguage or _first_language(self.acceptLanguage or []) or ""


_MODELS: Final[Mapping[str, type[AReq]]] = {"2.1.0": AReq210, "2.2.0": AReq220, "2.3.1": AReq231}


def parse_areq(data: bytes | str | Mapping[str, Any]) -> AReq:
    """Parse an AReq body (or an already decoded object); raise ProtocolError if it is invalid.

    A valid AReq from a non-browser channel parses: check `is_browser` and answer U/03.
    """
    return parse_message(data, "AReq", _MODELS)


def parse_ds_request(data: bytes | str | Mapping[str, Any]) -> AReq | Erro:
    """Parse what a DS posts to the ACS: an AReq, or an Erro about one of them.

    A DS sends an Erro e.g. when the ARes reached it too late [Req 235]. Raise ProtocolError for
    any other type (101) or an invalid message; its `message_type` says "Erro" for an invalid Erro.
    """
    return parse_message_or_erro(data, "AReq", _MODELS)
