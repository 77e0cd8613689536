"""Where an IP address is: the same answer for an IPv4 address and its IPv4-mapped IPv6 form."""

from __future__ import annotations

import pytest

from riskanalysis import geo
from riskanalysis.pseudonym import ip_prefix


@pytest.mark.parametrize(
    ("ip", "country"),
    [
        ("8.8.8.8", "US"),
        ("::ffff:8.8.8.8", "US"),
        (" ::FFFF:8.8.8.8 ", "US"),
        ("::ffff:808:808", "US"),  # the same address written in hex
        ("2001:4860:4860::8888", "US"),
        ("", None),
        ("not an address", None),
    ],
)
def test_it_finds_the_country_of_an_address(ip: str, country: str | None) -> None:
    assert geo.country_of(ip) == country


def test_it_unwraps_an_ipv4_mapped_address_once_for_country_and_prefix() -> None:
    assert str(geo.client_address("::ffff:133.242.0.7")) == "133.242.0.7"
    assert ip_prefix("::ffff:133.242.0.7") == ip_prefix("133.242.0.7") == "133.242.0.0/24"


def test_it_refuses_what_is_not_an_address() -> None:
    with pytest.raises(ValueError):
        geo.client_address("8.8.8")
