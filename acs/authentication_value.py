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
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.crypto import parse_keyring

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


@dataclass(frozen=True)
class AvKeys:
    """The keys by version, the byte each value carries; `current` signs."""

    current: int
    by_version: Mapping[int, bytes]


@lru_cache(maxsize=8)
def _parse(spec: str) -> AvKeys:
    # The one place ids become versions: "01" and "1" are both byte 1, so both cannot be listed,
    # and a value stamped with a version is verified under the key of that same version.
    by_version: dict[int, bytes] = {}
    named: dict[int, str] = {}
    for kid, key in parse_keyring(spec, name="AUTHENTICATION_VALUE_KEYS").keys:
        version = int(kid) if kid.isascii() and kid.isdigit() else 0
        if not 1 <= version <= 255:
            raise ImproperlyConfigured(
                f"AUTHENTICATION_VALUE_KEYS: key id {kid!r} must be a number from 1 to 255"
            )
        if version in named:
            raise ImproperlyConfigured(
                f"AUTHENTICATION_VALUE_KEYS: key ids {named[version]!r} and {kid!r} "
                f"are both version {version}"
            )
        named[version] = kid
        by_version[version] = key
    return AvKeys(current=next(iter(by_version)), by_version=by_version)


def av_keys() -> AvKeys:
    """Return the configured keys; raise ImproperlyConfigured, naming the fault, if they are wrong."""
    return _parse(settings.AUTHENTICATION_VALUE_KEYS)


def _mac(key: bytes, data: AvInput) -> bytes:
    return hmac.new(key, data.message(), hashlib.sha256).digest()[:MAC_BYTES]


def compute(data: AvInput) -> str:
    keys = av_keys()
    raw = bytes([LAYOUT, keys.current]) + _mac(keys.by_version[keys.current], data)
    return base64.b64encode(raw).decode()


def verify(value: str, data: AvInput) -> bool:
    """Check a value against the transaction's fields, in constant time."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) != 2 + MAC_BYTES or raw[0] != LAYOUT:
        return False
    key = av_keys().by_version.get(raw[1])
    if key is None:
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
