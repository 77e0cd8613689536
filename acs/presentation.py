"""How a transaction is shown to the cardholder: programme name, amount, date. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pycountry

PROGRAMMES = {
    "visa": "Visa Secure",
    "jcb": "J/Secure",
    "mastercard": "Mastercard Identity Check",
    "amex": "American Express SafeKey",
}
JAPAN = ZoneInfo("Asia/Tokyo")


def programme_name(brand: str) -> str:
    return PROGRAMMES.get(brand, "3-D Secure")


def currency_alpha(numeric: str) -> str:
    currency = pycountry.currencies.get(numeric=numeric)
    return currency.alpha_3 if currency is not None else numeric


def format_amount(amount_minor: int | Decimal, currency_numeric: str, exponent: int) -> str:
    """`¥12,800` for yen (no decimals), `USD 12.50` otherwise."""
    major = Decimal(int(amount_minor)).scaleb(-exponent)
    alpha = currency_alpha(currency_numeric)
    if alpha == "JPY":
        return f"¥{major:,.0f}"
    return f"{alpha} {major:,.{exponent}f}"


def japan_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(JAPAN).strftime("%Y/%m/%d %H:%M")


def language_for(browser_language: str, accept_language: str = "") -> str:
    """Return "ja" or "en" for the cardholder's texts: the browser's first language decides.

    `browser_language` is the AReq's (browserLanguage, or 2.3.1's acceptLanguage); without it
    (JavaScript off before 2.3.1), the first tag of the Accept-Language header of the page's own
    request. With neither, Japanese: the issuer's cardholders are Japanese.
    """
    tag = browser_language or next(iter(accept_language_tags(accept_language)), "")
    if not tag:
        return "ja"
    return "ja" if tag.lower().startswith("ja") else "en"


def accept_language_tags(header: str) -> list[str]:
    """Return the language tags of an Accept-Language header, most wanted first (q=0 and * left out)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.partition(";")
        tag, quality = tag.strip(), 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _quality, _position, tag in sorted(weighted)]
