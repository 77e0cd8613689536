"""Gather the facts risk analysis needs from an AReq and the card record."""

from __future__ import annotations

from acs.protocol import AReq
from portal.models import Card, ThreeDSEnrolment
from riskanalysis.facts import Facts


def enrolment_of(card: Card | None) -> ThreeDSEnrolment | None:
    """Return the card's 3-D Secure enrolment, when its account is usable."""
    account = getattr(card, "account", None) if card is not None else None
    if account is None or not account.is_active:
        return None
    return getattr(account, "enrolment", None)


def facts_for(areq: AReq, card: Card | None, enrolment: ThreeDSEnrolment | None) -> Facts:
    expiry_matches = None
    if card is not None and areq.cardExpiryDate:
        expiry_matches = areq.cardExpiryDate == card.expiry_yymm
    return Facts(
        message_version=areq.messageVersion,
        amount_minor=int(areq.purchaseAmount or 0),
        currency=areq.purchaseCurrency or "",
        exponent=int(areq.purchaseExponent or 0),
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
    )
