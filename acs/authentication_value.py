"""The authentication value (CAVV for Visa and JCB, AAV for Mastercard, AEVV for Amex).

The schemes' own layouts and algorithms are confidential and licensed to certified ACS vendors;
this is the documented non-scheme layout that test ACSs use, 20 bytes (28 Base64 characters):

    byte 0       layout marker 0xA1 (non-scheme HMAC value)
    byte 1       key version (the numeric id of the AUTHENTICATION_VALUE_KEYS entry)
    bytes 2-19   HMAC-SHA256 over the transaction's fields, truncated to 18 bytes

A licensed algorithm (for example Visa's CAVV, a 3DES MAC under issuer keys kept in an HSM)
plugs in by replacing `compute` and `verify` with calls to that HSM; callers only see
`authentication_value_for(transaction)` and `verify_av(...)`. Keys rotate like the field keys:
the first entry of AUTHENTICATION_VALUE_KEYS signs, every listed key verifies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.crypto import Keyring, parse_keyring

LAYOUT = 0xA1
MAC_BYTES = 18


@dataclass(frozen=True)
class AvInput:
    """The fields the value is bound to: change any and the value no longer verifies."""

    acs_trans_id: str
    ds_trans_id: str
    three_ds_server_trans_id: str
    pan_fingerprint: str
    purchase_amount: str
    purchase_currency: str
    trans_status: str
    eci: str

    def message(self) -> bytes:
        return "|".join(
            (
                self.acs_trans_id,
                self.ds_trans_id,
                self.three_ds_server_trans_id,
                self.pan_fingerprint,
                self.purchase_amount,
                self.purchase_currency,
                self.trans_status,
                self.eci,
            )
        ).encode()


@lru_cache(maxsize=8)
def _keyring(spec: str) -> Keyring:
    keyring = parse_keyring(spec, name="AUTHENTICATION_VALUE_KEYS")
    for kid, _ in keyring.keys:
        if not kid.isdigit() or not 1 <= int(kid) <= 255:
            raise ImproperlyConfigured("AUTHENTICATION_VALUE_KEYS ids must be numbers from 1 to 255")
    return keyring


def _mac(key: bytes, data: AvInput) -> bytes:
    return hmac.new(key, data.message(), hashlib.sha256).digest()[:MAC_BYTES]


def compute(data: AvInput) -> str:
    keyring = _keyring(settings.AUTHENTICATION_VALUE_KEYS)
    kid = keyring.current_id
    raw = bytes([LAYOUT, int(kid)]) + _mac(keyring.key(kid), data)
    return base64.b64encode(raw).decode()


def verify(value: str, data: AvInput) -> bool:
    """Check a value against the transaction's fields, in constant time."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) != 2 + MAC_BYTES or raw[0] != LAYOUT:
        return False
    keyring = _keyring(settings.AUTHENTICATION_VALUE_KEYS)
    try:
        key = keyring.key(str(raw[1]))
    except Exception:
        return False
    return hmac.compare_digest(raw[2:], _mac(key, data))


ECI = {
    # Authenticated, attempted, not authenticated (reference §3).
    "visa": {"Y": "05", "A": "06", "N": "07"},
    "jcb": {"Y": "05", "A": "06", "N": "07"},
    "amex": {"Y": "05", "A": "06", "N": "07"},
    "mastercard": {"Y": "02", "A": "01", "N": "00"},
}


def eci_for(brand: str, trans_status: str) -> str:
    return ECI[brand]["Y" if trans_status == "Y" else "A" if trans_status == "A" else "N"]
