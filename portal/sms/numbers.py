"""Phone numbers as the SMS gateway keys them: normalised to E.164, fingerprinted with a keyed HMAC."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

import phonenumbers
from django.conf import settings

from portal import crypto

# Derive a key of its own from the PAN fingerprint key, so that a phone fingerprint never equals
# the fingerprint of a PAN (or of anything else keyed with PAN_FINGERPRINT_KEY).
_PURPOSE = b"sms.phone-fingerprint.v1"


@lru_cache(maxsize=8)
def _phone_key(encoded: str) -> bytes:
    return hmac.new(crypto._fingerprint_key(encoded), _PURPOSE, hashlib.sha256).digest()


def phone_fingerprint(e164: str) -> str:
    """Return the keyed HMAC-SHA256 of a phone number: how messages to one phone are found."""
    return hmac.new(_phone_key(settings.PAN_FINGERPRINT_KEY), e164.encode(), hashlib.sha256).hexdigest()


def e164(number: str, *, strict: bool = True) -> str | None:
    """Return the number in E.164 (national numbers are Japanese), or None if it is not a phone.

    `strict`: the number must lie in a real numbering plan; otherwise the right length will do.
    """
    try:
        parsed = phonenumbers.parse(number.strip(), "JP")
    except phonenumbers.NumberParseException:
        return None
    fits = phonenumbers.is_valid_number(parsed) if strict else phonenumbers.is_possible_number(parsed)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) if fits else None


def normalise(number: str) -> str | None:
    """Return the number as the gateway keys it (E.164), or None if it cannot be a phone.

    Every spelling of one phone ("+81 90-1111-0001", "09011110001") must reach the same
    fingerprint, or the daily cap could be dodged by reformatting the number. Possible, not
    valid: the demo's +81 90 0000 000x numbers are in no real numbering plan.
    """
    return e164(number, strict=False)
