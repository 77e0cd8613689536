"""Who may call the ACS and which cards it serves, read from the admin-edited tables.

Both are read on every AReq, so they are cached per process for a few seconds: an admin edit
takes effect within `CACHE_SECONDS`, and the DS-facing path makes no query for them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from acs.models import CardRange, DirectoryServer

CACHE_SECONDS = 10.0


@dataclass(frozen=True)
class _Snapshot:
    loaded_at: float
    servers: dict[str, DirectoryServer]
    ranges: tuple[CardRange, ...]


_snapshot: _Snapshot | None = None


def _current() -> _Snapshot:
    global _snapshot
    now = time.monotonic()
    if _snapshot is None or now - _snapshot.loaded_at > CACHE_SECONDS:
        servers = {ds.client_subject: ds for ds in DirectoryServer.objects.filter(is_active=True)}
        ranges = tuple(CardRange.objects.filter(is_active=True).order_by("low"))
        _snapshot = _Snapshot(now, servers, ranges)
    return _snapshot


def forget() -> None:
    """Drop the cached snapshot (after an edit, and between tests)."""
    global _snapshot
    _snapshot = None


def directory_server_for(client_subject: str) -> DirectoryServer | None:
    return _current().servers.get(client_subject.strip())


def card_range_for(pan: str) -> CardRange | None:
    for card_range in _current().ranges:
        if card_range.contains(pan):
            return card_range
    return None
