"""Amounts in yen, so that a purchase in any currency meets the issuer's yen limits.

The rates are rough reference rates (yen per major unit, rounded from 2025 market levels) for
risk sizing only, never for an amount shown or settled: a 100,000-yen limit is not moved by a
10% swing. No setting overrides them; review the table about once a year. It covers the
currencies Japanese cardholders commonly buy in; any other is `unknown_currency` to the rules.
"""

from __future__ import annotations

from typing import Final

from riskanalysis.facts import Facts

YEN_PER_UNIT: Final[dict[str, float]] = {
    "392": 1.0,  # JPY
    "840": 150.0,  # USD
    "978": 160.0,  # EUR
    "826": 190.0,  # GBP
    "036": 97.0,  # AUD
    "124": 107.0,  # CAD
    "756": 175.0,  # CHF
    "156": 21.0,  # CNY
    "344": 19.0,  # HKD
    "410": 0.11,  # KRW
    "702": 113.0,  # SGD
    "901": 4.7,  # TWD
    "764": 4.3,  # THB
    "554": 88.0,  # NZD
    "458": 33.0,  # MYR
    "608": 2.6,  # PHP
    "704": 0.0058,  # VND
    "360": 0.0092,  # IDR
}


def amount_in_yen(facts: Facts) -> float | None:
    """Return the purchase amount in yen, or None when its currency has no rate here."""
    rate = YEN_PER_UNIT.get(facts.currency)
    return None if rate is None else facts.amount_major * rate
