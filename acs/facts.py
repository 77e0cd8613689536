"""Gather the facts risk analysis needs from an AReq, the 3DS Method and the card record.

Comparisons with the issuer's records (is the AReq's e-mail the registered one?) happen here,
so that risk analysis receives plain answers and never reads the portal's tables.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils import timezone

from acs.protocol import AReq
from acs.protocol.areq import AcctInfo, MerchantRiskIndicator, Phone
from acs.protocol.fields import CURRENCY_EXPONENTS
from portal.cardholder_records import CardholderRecord
from riskanalysis.facts import AccountInfo, Address, Facts, MerchantRisk, MethodDevice


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("+-").isdigit() else None


def phone_digits(cc: str, subscriber: str) -> str:
    """Return E.164 digits: a national trunk 0 sent by mistake (090... in Japan) is dropped."""
    return cc + subscriber.lstrip("0")


def _phones(areq: AReq) -> tuple[str, ...]:
    phones: list[Phone] = [p for p in (areq.mobilePhone, areq.homePhone, areq.workPhone) if p is not None]
    return tuple(phone_digits(p.cc, p.subscriber) for p in phones)


def _name_key(name: str) -> frozenset[str]:
    # Word order differs (SATO ALICE / ALICE SATO), and so do width and case.
    words = re.split(r"[\s,.・]+", unicodedata.normalize("NFKC", name).casefold())
    return frozenset(w for w in words if w)


def _matches(presented: set[str], registered: set[str]) -> bool | None:
    presented, registered = {p for p in presented if p}, {r for r in registered if r}
    if not presented or not registered:
        return None
    return bool(presented & registered)


def _address(areq: AReq, prefix: str) -> Address:
    lines = tuple(getattr(areq, f"{prefix}AddrLine{i}") or "" for i in (1, 2, 3))
    return Address(
        lines=lines,
        city=getattr(areq, f"{prefix}AddrCity") or "",
        post_code=getattr(areq, f"{prefix}AddrPostCode") or "",
        state=getattr(areq, f"{prefix}AddrState") or "",
        country=getattr(areq, f"{prefix}AddrCountry") or "",
    )


def _account(info: AcctInfo | None) -> AccountInfo:
    if info is None:
        return AccountInfo()
    return AccountInfo(
        age_ind=info.chAccAgeInd or "",
        change_ind=info.chAccChangeInd or "",
        password_change_ind=info.chAccPwChangeInd or "",
        ship_address_usage_ind=info.shipAddressUsageInd or "",
        suspicious_activity=info.suspiciousAccActivity or "",
        txn_activity_day=_int(info.txnActivityDay),
        txn_activity_year=_int(info.txnActivityYear),
        provision_attempts_day=_int(info.provisionAttemptsDay),
        purchases_6_months=_int(info.nbPurchaseAccount),
    )


def _merchant_risk(mri: MerchantRiskIndicator | None) -> MerchantRisk:
    if mri is None:
        return MerchantRisk()
    return MerchantRisk(
        ship_indicator=mri.shipIndicator or "",
        delivery_timeframe=mri.deliveryTimeframe or "",
        gift_card_amount=_int(mri.giftCardAmount),
        gift_card_count=_int(mri.giftCardCount),
        reorder=mri.reorderItemsInd or "",
        pre_order=mri.preOrderPurchaseInd or "",
    )


def _exponent(areq: AReq) -> int:
    # The amount is priced with ISO 4217's exponent, never the requestor's digit: parse_areq
    # refuses one that differs, and risk must not hinge on that check alone.
    iso = CURRENCY_EXPONENTS.get(areq.purchaseCurrency or "")
    return iso if iso is not None else int(areq.purchaseExponent or 0)


def _days_since(when: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if when is None else max((now - when).days, 0)


def facts_for(
    areq: AReq, pan_fingerprint: str, cardholder: CardholderRecord | None, method: MethodDevice | None
) -> Facts:
    """The facts of one AReq: `cardholder` is the issuer's record of its card, `method` the 3DS Method's."""
    card = cardholder.card if cardholder is not None else None
    account = cardholder.account if cardholder is not None else None
    enrolment = cardholder.enrolment if cardholder is not None else None
    expiry_matches = None
    if card is not None and areq.cardExpiryDate:
        expiry_matches = areq.cardExpiryDate == card.expiry_yymm
    now = timezone.now()
    phones = _phones(areq)
    registered_phones = {
        re.sub(r"\D", "", p) for p in (card.mobile if card else "", enrolment.mobile if enrolment else "")
    }
    registered_emails = {
        e.strip().casefold()
        for e in (card.email if card else "", account.email if account is not None else "")
    }
    return Facts(
        message_version=areq.messageVersion,
        amount_minor=int(areq.purchaseAmount or 0),
        currency=areq.purchaseCurrency or "",
        exponent=_exponent(areq),
        merchant_name=areq.merchantName or "",
        mcc=areq.mcc or "",
        merchant_country=areq.merchantCountryCode or "",
        requestor_id=areq.threeDSRequestorID,
        challenge_indicators=areq.challenge_indicators,
        authentication_indicator=areq.threeDSRequestorAuthenticationInd,
        card_known=card is not None,
        card_status=card.status if card is not None else None,
        enrolled=enrolment is not None,
        enrolment_method=enrolment.method if enrolment is not None else None,
        card_expiry_matches=expiry_matches,
        browser_ip=areq.browserIP or "",
        browser_language=areq.browserLanguage or "",
        browser_user_agent=areq.browserUserAgent or "",
        browser_javascript_enabled=areq.browserJavascriptEnabled,
        three_ds_server_trans_id=areq.threeDSServerTransID,
        purchase_time=areq.purchase_datetime,
        acquirer_merchant_id=areq.acquirerMerchantID or "",
        cardholder_name=areq.cardholderName or "",
        email=areq.email or "",
        phones=phones,
        bill_address=_address(areq, "bill"),
        ship_address=_address(areq, "ship"),
        addr_match=areq.addrMatch or "",
        account=_account(areq.acctInfo),
        merchant_risk=_merchant_risk(areq.merchantRiskIndicator),
        browser_tz=_int(areq.browserTZ),
        browser_screen=areq.browser_screen,
        browser_color_depth=areq.browserColorDepth or "",
        browser_accept_header=areq.browserAcceptHeader or "",
        browser_java_enabled=areq.browserJavaEnabled,
        three_ds_comp_ind=areq.threeDSCompInd or "",
        method=method,
        card_ref=pan_fingerprint,
        name_matches=(
            _name_key(areq.cardholderName) == _name_key(card.cardholder_name)
            if card is not None and areq.cardholderName and card.cardholder_name
            else None
        ),
        email_matches=_matches({(areq.email or "").strip().casefold()}, registered_emails),
        phone_matches=_matches(set(phones), registered_phones),
        account_age_days=_days_since(account.date_joined if account is not None else None, now),
        enrolment_age_days=_days_since(enrolment.enrolled_at if enrolment is not None else None, now),
    )
