"""Where an IP address is, offline: its country, and the UTC offsets a browser there could have.

The country comes from `iptocc`, which embeds the five Regional Internet Registries' delegation
files in the package (a new release follows them; ~0.1 µs a look-up, no file to download or
licence key to manage). Registry delegation names the country an address block is assigned to:
coarse, but what a "not in Japan" rule needs. The offsets come from the tz database's
zone1970.tab (country -> zones) evaluated in winter and summer.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import zoneinfo
from functools import lru_cache
from pathlib import Path

import iptocc

# Where the tz database lists no zones (a minimal container), Japan at least is known.
FALLBACK_OFFSETS = {"JP": frozenset({-540})}


def client_address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """Parse a client's IP address; raise ValueError for anything else.

    An IPv4-mapped IPv6 address (::ffff:8.8.8.8, as dual-stack servers and proxies report IPv4
    clients) is returned as the IPv4 address, so that every rule sees one client either way.
    """
    address = ipaddress.ip_address(ip.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def country_of(ip: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 country an IP address is assigned to, or None."""
    if not ip:
        return None
    try:
        return iptocc.country_code(str(client_address(ip)))
    except (ValueError, TypeError):
        return None


@lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    zones: dict[str, list[str]] = {}
    for base in zoneinfo.TZPATH:
        table = Path(base) / "zone1970.tab"
        if not table.is_file():
            continue
        for line in table.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            codes, _coords, zone = line.split("\t")[:3]
            for code in codes.split(","):
                zones.setdefault(code, []).append(zone)
        break
    return {code: tuple(names) for code, names in zones.items()}


@lru_cache(maxsize=512)
def utc_offsets(country: str) -> frozenset[int]:
    """Return the getTimezoneOffset() values (UTC+9 is -540) of a country's zones, winter and summer."""
    offsets: set[int] = set()
    year = dt.date.today().year
    for name in _zones_by_country().get(country, ()):
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        for month in (1, 7):
            offset = dt.datetime(year, month, 15, 12, tzinfo=zone).utcoffset()
            if offset is not None:
                offsets.add(-int(offset.total_seconds() // 60))
    return frozenset(offsets) or FALLBACK_OFFSETS.get(country, frozenset())
