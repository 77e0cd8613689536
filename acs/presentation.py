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


def language_for(browser_language: str) -> str:
    """Japanese when the browser asks for it, English otherwise."""
    return "ja" if browser_language.lower().startswith("ja") else "en"
