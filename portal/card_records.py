"""Find and describe card records by PAN, without the PAN ever leaving encrypted storage."""

from __future__ import annotations

from typing import TypedDict

from portal import cards, crypto
from portal.models import Card


class PanIdentity(TypedDict):
    pan: str
    pan_fingerprint: str
    bin: str
    last4: str
    brand: str


def pan_identity(pan: str) -> PanIdentity:
    """Return the stored fields derived from a PAN (the caller has checked Luhn and brand)."""
    brand = cards.brand_for(pan)
    if brand is None:
        raise ValueError("PAN of a brand this issuer does not serve")
    return {
        "pan": pan,
        "pan_fingerprint": crypto.pan_fingerprint(pan),
        "bin": pan[:6],
        "last4": pan[-4:],
        "brand": brand.value,
    }


def card_by_pan(pan: str) -> Card | None:
    return Card.objects.filter(pan_fingerprint=crypto.pan_fingerprint(pan)).first()
