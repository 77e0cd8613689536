"""Pseudonyms for risk signals: keyed HMACs, so stored data links visits without naming anyone.

A plain SHA-256 of a device id or an IP prefix could be reversed by hashing every candidate
(IPv4 /24 prefixes are only 2^24); a secret key (settings.RISK_PSEUDONYM_KEY, 32 random bytes
in Base64) stops that, and rotating it unlinks everything stored before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json

from django.conf import settings

from riskanalysis.geo import client_address


def _key() -> bytes:
    return base64.b64decode(settings.RISK_PSEUDONYM_KEY)


def pseudonym(kind: str, value: str) -> str:
    """Return HMAC-SHA256(key, kind NUL value) in hex.

    The kind ("device_id", "ip_prefix", "fingerprint", ...) separates domains, so the same text
    seen as two different signals gets two unrelated pseudonyms.
    """
    if not kind or "\x00" in kind:
        raise ValueError("kind must be a non-empty name without NUL")
    message = kind.encode("utf-8") + b"\x00" + value.encode("utf-8")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def fingerprint_key(
    *,
    canvas: str | None,
    webgl: str | None,
    screen: str,
    color_depth: int,
    platform: str,
    cores: int | None,
    timezone_name: str | None,
) -> str:
    """Return the pseudonym of a browser's stable attributes (the 3DS Method's fingerprint).

    Only what does not change between visits of the same browser: the canvas and WebGL hashes,
    screen, colour depth, platform, cores and time zone name (not the offset, which moves with
    daylight saving; not the languages, which users edit).
    """
    material = json.dumps(
        [canvas, webgl, screen, color_depth, platform, cores, timezone_name], separators=(",", ":")
    )
    return pseudonym("fingerprint", material)


def ip_prefix(ip: str) -> str:
    """Return the network a client address belongs to: its /24 (IPv4) or /48 (IPv6).

    The prefix, not the address, is what risk rules compare: it survives a household's or a
    mobile carrier's address changes and names no single subscriber. IPv4-mapped IPv6 addresses
    count as IPv4. Raise ValueError for anything that is not an IP address.
    """
    address = client_address(ip)
    if isinstance(address, ipaddress.IPv4Address):
        return str(ipaddress.IPv4Network((int(address), 24), strict=False))
    # From the integer, so that a zone index ("fe80::1%eth0") does not leak into the prefix.
    return str(ipaddress.IPv6Network((int(address), 48), strict=False))
