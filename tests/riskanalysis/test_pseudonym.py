"""Keyed pseudonyms for risk signals, and the IP prefix they are taken over."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from django.conf import settings
from django.test import override_settings

from riskanalysis.pseudonym import ip_prefix, pseudonym


def test_it_is_the_hmac_sha256_of_kind_nul_value_under_the_risk_key() -> None:
    key = base64.b64decode(settings.RISK_PSEUDONYM_KEY)
    expected = hmac.new(key, b"device_id\x00abc", hashlib.sha256).hexdigest()
    assert pseudonym("device_id", "abc") == expected


def test_it_is_stable_and_separates_kinds_and_values() -> None:
    assert pseudonym("device_id", "abc") == pseudonym("device_id", "abc")
    assert pseudonym("device_id", "abc") != pseudonym("fingerprint", "abc")
    assert pseudonym("device_id", "abc") != pseudonym("device_id", "abd")
    # Without a separator "a"+"bc" and "ab"+"c" would collide.
    assert pseudonym("a", "bc") != pseudonym("ab", "c")


def test_it_changes_with_the_key() -> None:
    before = pseudonym("ip_prefix", "203.0.113.0/24")
    with override_settings(RISK_PSEUDONYM_KEY=base64.b64encode(b"\x01" * 32).decode()):
        assert pseudonym("ip_prefix", "203.0.113.0/24") != before


def test_it_is_not_a_plain_hash_of_the_value() -> None:
    assert pseudonym("device_id", "abc") != hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize("kind", ["", "bad\x00kind"])
def test_it_refuses_an_unusable_kind(kind: str) -> None:
    with pytest.raises(ValueError):
        pseudonym(kind, "abc")


@pytest.mark.parametrize(
    ("ip", "prefix"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.255", "203.0.113.0/24"),
        (" 198.51.100.1 ", "198.51.100.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("2001:DB8:1234:ffff:1:2:3:4", "2001:db8:1234::/48"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("fe80::1%eth0", "fe80::/48"),
        ("::1", "::/48"),
    ],
)
def test_it_takes_the_24_or_48_prefix(ip: str, prefix: str) -> None:
    assert ip_prefix(ip) == prefix


@pytest.mark.parametrize("ip", ["", "localhost", "203.0.113", "203.0.113.7/24", "999.1.1.1"])
def test_it_refuses_what_is_not_an_ip_address(ip: str) -> None:
    with pytest.raises(ValueError):
        ip_prefix(ip)
