"""Reads of stored risk signals.

`history_for` is on the path of every AReq, so it is three indexed statements and plain SQL:
the card's profile (primary key), the card's signals for the values this AReq presents (the
unique index on card and value), and one UNION of capped index range scans for velocity and the
deny list. Counts are capped (LIMIT) so that a burst or a busy carrier network costs the same
as a quiet card.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import replace
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from riskanalysis.history import History, Kind, Seen, Window
from riskanalysis.models import DeviceProfile
from riskanalysis.signals import Keys

VELOCITY_CAP = 100  # rows read per velocity scan
DEVICE_CARDS_CAP = 50

_PROFILE_SQL = (
    "SELECT first_seen, auths, trusted_auths, amount_n, amount_log_sum, amount_log_sq, amount_max_yen, "
    "fraud_marks, last_fraud_at, challenge_failures, last_challenge_failed_at "
    "FROM riskanalysis_cardprofile WHERE card_key = %s"
)


def device_profile_for(three_ds_server_trans_id: str | uuid.UUID) -> DeviceProfile | None:
    """Return the 3DS Method's device profile for a transaction, or None if none was collected."""
    try:
        key = uuid.UUID(str(three_ds_server_trans_id))
    except ValueError:
        return None
    return DeviceProfile.objects.filter(three_ds_server_trans_id=key).first()


def _dt(value: Any) -> dt.datetime | None:
    """Read a timestamp from a raw row: PostgreSQL gives datetimes, SQLite may give text."""
    if value is None or isinstance(value, dt.datetime):
        when = value
    else:
        when = parse_datetime(str(value))
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


def _param(when: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(when)


def _window(times: list[dt.datetime], now: dt.datetime) -> Window:
    m10, h1 = now - dt.timedelta(minutes=10), now - dt.timedelta(hours=1)
    return Window(sum(t >= m10 for t in times), sum(t >= h1 for t in times), len(times))


def _cards_window(rows: list[tuple[dt.datetime, str]], now: dt.datetime) -> Window:
    """Distinct cards by their latest sighting (a card may appear under two device keys)."""
    latest: dict[str, dt.datetime] = {}
    for when, card in rows:
        if card not in latest or when > latest[card]:
            latest[card] = when
    return _window(list(latest.values()), now)


def _velocity_sql(keys: Keys, since: dt.datetime, now: dt.datetime) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []

    def auths(tag: str, column: str, value: str) -> None:
        parts.append(
            f"SELECT '{tag}', t.created_at, '' FROM (SELECT created_at FROM riskanalysis_assessment "  # noqa: S608
            f"WHERE {column} = %s AND created_at >= %s ORDER BY created_at DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([value, _param(since)])

    def cards(tag: str, values: list[str]) -> None:
        marks = ",".join(["%s"] * len(values))
        parts.append(
            f"SELECT '{tag}', t.last_seen, t.card_key FROM (SELECT last_seen, card_key "  # noqa: S608
            f"FROM riskanalysis_cardsignal WHERE value_key IN ({marks}) AND card_key <> %s "
            f"AND last_seen >= %s ORDER BY last_seen DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([*values, keys.card, _param(since)])

    auths("card", "card_key", keys.card)
    device_values = [v for k in (Kind.DEVICE_ID, Kind.FINGERPRINT) if (v := keys.values.get(k))]
    if keys.device:
        auths("device", "device_key", keys.device)
    if keys.ip:
        auths("ip", "ip_key", keys.ip)
        cards("ip_cards", [keys.ip])
    if device_values:
        cards("device_cards", device_values)
        marks = ",".join(["%s"] * len(device_values))
        parts.append(
            "SELECT 'device_ever', NULL, t.card_key FROM (SELECT card_key FROM riskanalysis_cardsignal "  # noqa: S608
            f"WHERE value_key IN ({marks}) AND card_key <> %s LIMIT {DEVICE_CARDS_CAP}) t"
        )
        params.extend([*device_values, keys.card])
    if net := keys.values.get(Kind.BROWSER_NET):
        cards("net_cards", [net])
    deny_values = [v for k in (Kind.DEVICE_ID, Kind.FINGERPRINT, Kind.IP_PREFIX) if (v := keys.values.get(k))]
    if deny_values:
        marks = ",".join(["%s"] * len(deny_values))
        parts.append(
            "SELECT 'deny', NULL, kind FROM riskanalysis_denyentry "  # noqa: S608
            f"WHERE value_key IN ({marks}) AND expires_at > %s"
        )
        params.extend([*deny_values, _param(now)])
    return " UNION ALL ".join(parts), params


def history_for(keys: Keys, *, now: dt.datetime) -> History:
    """Return what the history knows about this card and the values this AReq presents."""
    since = now - dt.timedelta(hours=24)
    with connection.cursor() as cursor:
        cursor.execute(_PROFILE_SQL, [keys.card])
        profile = cursor.fetchone()
        values = list(keys.values.values())
        seen: dict[Kind, Seen] = {}
        if values:
            marks = ",".join(["%s"] * len(values))
            cursor.execute(
                "SELECT kind, count, trusted, first_seen, last_seen FROM riskanalysis_cardsignal "  # noqa: S608
                f"WHERE card_key = %s AND value_key IN ({marks})",
                [keys.card, *values],
            )
            for kind, count, trusted, first, last in cursor.fetchall():
                seen[Kind(kind)] = Seen(count, trusted, _dt(first) or now, _dt(last) or now)
        sql, params = _velocity_sql(keys, since, now)
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    times: dict[str, list[dt.datetime]] = {}
    card_rows: dict[str, list[tuple[dt.datetime, str]]] = {}
    device_ever: set[str] = set()
    denied: set[Kind] = set()
    for tag, when, extra in rows:
        if tag == "deny":
            denied.add(Kind(extra))
        elif tag == "device_ever":
            device_ever.add(extra)
        elif extra:
            card_rows.setdefault(tag, []).append((_dt(when) or now, extra))
        else:
            times.setdefault(tag, []).append(_dt(when) or now)
    history = History(
        now=now,
        seen=seen,
        card_velocity=_window(times.get("card", []), now),
        device_velocity=_window(times.get("device", []), now),
        ip_velocity=_window(times.get("ip", []), now),
        device_cards=_cards_window(card_rows.get("device_cards", []), now),
        browser_net_cards=_cards_window(card_rows.get("net_cards", []), now),
        ip_cards=_cards_window(card_rows.get("ip_cards", []), now),
        device_cards_ever=len(device_ever),
        denied=frozenset(denied),
    )
    return _with_profile(history, profile)


def _with_profile(history: History, row: tuple[Any, ...] | None) -> History:
    if row is None:
        return history
    first, auths, trusted, n, log_sum, log_sq, max_yen, marks, fraud_at, failures, failed_at = row
    mean = log_sum / n if n else 0.0
    std = math.sqrt(max(log_sq / n - mean * mean, 0.0)) if n else 0.0
    return replace(
        history, card_auths=auths, card_trusted_auths=trusted, card_first_seen=_dt(first), amount_n=n,
        amount_log_mean=mean, amount_log_std=std, amount_max_yen=max_yen, fraud_marks=marks,
        last_fraud_at=_dt(fraud_at), challenge_failures=failures, last_challenge_failed_at=_dt(failed_at),
    )
