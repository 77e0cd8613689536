"""Card-number facts that need no database: Luhn, brand by BIN, masking."""

from __future__ import annotations

import random
from enum import StrEnum


class Brand(StrEnum):
    VISA = "visa"
    JCB = "jcb"
    MASTERCARD = "mastercard"
    AMEX = "amex"


def _luhn_sum(digits: str) -> int:
    # From the right, every second digit is doubled (its digit sum taken); the check digit is not.
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total


def luhn_valid(pan: str) -> bool:
    if not pan.isdigit() or not 12 <= len(pan) <= 19:
        return False
    return _luhn_sum(pan) % 10 == 0


def luhn_complete(body: str) -> str:
    """Return `body` with its Luhn check digit appended (synthetic card numbers: demo, tests, bench)."""
    # Summed with a check digit of 0 in place, the one digit that makes the total a multiple of 10.
    return body + str(-_luhn_sum(body + "0") % 10)


def random_pan(prefix: str, rng: random.Random, *, length: int = 16) -> str:
    """Return a Luhn-valid synthetic PAN: `prefix`, random digits from `rng`, the check digit."""
    return luhn_complete(prefix + "".join(rng.choices("0123456789", k=length - len(prefix) - 1)))


def brand_for(pan: str) -> Brand | None:
    """Return the brand that issues this PAN's BIN, or None for a brand we do not serve."""
    if pan.startswith("4"):
        return Brand.VISA
    prefix2, prefix4 = int(pan[:2] or 0), int(pan[:4] or 0)
    if 3528 <= prefix4 <= 3589:
        return Brand.JCB
    if prefix2 in (34, 37):
        return Brand.AMEX
    if 51 <= prefix2 <= 55 or 2221 <= prefix4 <= 2720:
        return Brand.MASTERCARD
    return None


def mask(bin6: str, last4: str) -> str:
    """Show a card as BIN and last four (PCI DSS display masking: first 6 / last 4 at most)."""
    return f"{bin6[:4]} {bin6[4:6]}** **** {last4}"


def mask_pan(pan: str) -> str:
    return mask(pan[:6], pan[-4:]) if len(pan) >= 10 else "****"
