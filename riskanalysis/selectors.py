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

from config.sql import Read, Statement, aware_datetime, datetime_param, prepared_cursor
from riskanalysis.facts import MethodDevice
from riskanalysis.history import METHOD_DEVICE_KINDS, History, Kind, Seen, Window
from riskanalysis.models import DeviceProfile
from riskanalysis.signals import Keys

VELOCITY_CAP = 50  # rows read per velocity scan: above every threshold a rule set may use

# One statement per AReq, thirteen columns in every part: the card's profile, its signals for
# the values this AReq presents, then one counting row per velocity subject (_velocity_parts).
_PROFILE_SQL = (
    "SELECT 'profile', first_seen, auths, trusted_auths, amount_n, amount_log_sum, amount_log_sq, "
    "amount_max_yen, fraud_marks, last_fraud_at, challenge_failures, last_challenge_failed_at, "
    "last_challenge_passed_at "
    "FROM riskanalysis_cardprofile WHERE card_key = %s"
)
_SEEN_SQL = (
    "SELECT 'seen:' || kind, first_seen, count, trusted, 0, 0.0, 0.0, 0, 0, last_seen, 0, NULL, NULL "
    "FROM riskanalysis_cardsignal WHERE card_key = %s AND value_key IN ({marks})"
)
_COUNTS = "0.0, 0.0, {ever}, 0, NULL, 0, NULL, NULL"


_METHOD_DEVICE_SQL = (
    "SELECT device_id_hash, fingerprint_hash, timezone_offset FROM riskanalysis_deviceprofile "
    "WHERE three_ds_server_trans_id = %s"
)


def method_device_read(three_ds_server_trans_id: str | uuid.UUID) -> Read[MethodDevice | None]:
    """Read what the 3DS Method collected for a transaction, as the engine reads it (None: nothing).

    Run it with config.sql.read, or with the ACS's other reads (config.sql.read_together).
    """
    try:
        key = uuid.UUID(str(three_ds_server_trans_id))
    except ValueError:
        return Read(None, _method_device)
    column = DeviceProfile._meta.get_field("three_ds_server_trans_id")
    return Read(Statement(_METHOD_DEVICE_SQL, [column.get_db_prep_value(key, connection)]), _method_device)


def _method_device(row: tuple[Any, ...] | None) -> MethodDevice | None:
    if row is None:
        return None
    device_id, fingerprint, offset = row
    return MethodDevice(device_id_key=device_id, fingerprint_key=fingerprint, timezone_offset=offset)


def _velocity_parts(keys: Keys, now: dt.datetime) -> tuple[list[str], list[Any]]:
    """Return the parts that count, per subject, over 10 minutes, an hour and a day.

    Each part reads at most VELOCITY_CAP rows of one index range and answers one row:
    (tag, -, in 10 minutes, in an hour, in a day, ..., ever). Cards seen with a device are
    counted distinct: one card may be seen under both the device id and the fingerprint.
    """
    windows = [datetime_param(now - dt.timedelta(minutes=10)), datetime_param(now - dt.timedelta(hours=1))]
    day = datetime_param(now - dt.timedelta(hours=24))
    parts: list[str] = []
    params: list[Any] = []

    def auths(tag: str, column: str, value: str) -> None:
        parts.append(
            f"SELECT '{tag}', NULL, SUM(CASE WHEN t.at >= %s THEN 1 ELSE 0 END), "  # noqa: S608
            f"SUM(CASE WHEN t.at >= %s THEN 1 ELSE 0 END), COUNT(*), {_COUNTS.format(ever='COUNT(*)')} "
            f"FROM (SELECT created_at AS at FROM riskanalysis_assessment WHERE {column} = %s "
            f"AND {column} <> '' AND created_at >= %s ORDER BY created_at DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([*windows, value, day])

    def cards(tag: str, values: list[str], *, ever: bool = False) -> None:
        # `ever`: over the retention period (the most recent cards, capped), not just the day.
        marks = ",".join(["%s"] * len(values))
        parts.append(
            f"SELECT '{tag}', NULL, COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "  # noqa: S608
            "COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "
            "COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "
            f"{_COUNTS.format(ever='COUNT(DISTINCT t.card)')} "
            "FROM (SELECT last_seen AS at, card_key AS card FROM riskanalysis_cardsignal "
            f"WHERE value_key IN ({marks}) AND card_key <> %s {'' if ever else 'AND last_seen >= %s '}"
            f"ORDER BY last_seen DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([*windows, day, *values, keys.card, *([] if ever else [day])])

    auths("card", "card_key", keys.card)
    if keys.device:
        auths("device", "device_key", keys.device)
    if keys.ip:
        auths("ip", "ip_key", keys.ip)
        cards("ip_cards", [keys.ip])
    if device_values := [v for k in METHOD_DEVICE_KINDS if (v := keys.values.get(k))]:
        cards("device_cards", device_values, ever=True)
    if net := keys.values.get(Kind.BROWSER_NET):
        cards("net_cards", [net])
    if deny_values := [v for k in (*METHOD_DEVICE_KINDS, Kind.IP_PREFIX) if (v := keys.values.get(k))]:
        marks = ",".join(["%s"] * len(deny_values))
        parts.append(
            f"SELECT 'deny:' || kind, NULL, 0, 0, 0, {_COUNTS.format(ever=0)} "  # noqa: S608
            f"FROM riskanalysis_denyentry WHERE value_key IN ({marks}) AND expires_at > %s"
        )
        params.extend([*deny_values, datetime_param(now)])
    return parts, params


def history_sql(keys: Keys, now: dt.datetime) -> tuple[str, list[Any]]:
    values = list(keys.values.values())
    parts, params = [_PROFILE_SQL], [keys.card]
    if values:
        parts.append(_SEEN_SQL.format(marks=",".join(["%s"] * len(values))))
        params.extend([keys.card, *values])
    velocity, velocity_params = _velocity_parts(keys, now)
    return " UNION ALL ".join([*parts, *velocity]), [*params, *velocity_params]


def history_for(keys: Keys, *, now: dt.datetime) -> History:
    """Return what the history knows about this card and the values this AReq presents: one query."""
    with prepared_cursor() as cursor:
        cursor.execute(*history_sql(keys, now))
        rows = cursor.fetchall()
    profile: tuple[Any, ...] | None = None
    seen: dict[Kind, Seen] = {}
    counts: dict[str, Window] = {}
    ever: dict[str, int] = {}
    denied: set[Kind] = set()
    for row in rows:
        tag = row[0]
        if tag == "profile":
            profile = row[1:]
        elif tag.startswith("seen:"):
            seen[Kind(tag[5:])] = Seen(
                row[2], row[3], aware_datetime(row[1]) or now, aware_datetime(row[9]) or now
            )
        elif tag.startswith("deny:"):
            denied.add(Kind(tag[5:]))
        else:
            counts[tag] = Window(int(row[2] or 0), int(row[3] or 0), int(row[4] or 0))
            ever[tag] = int(row[7] or 0)
    history = History(
        now=now,
        seen=seen,
        card_velocity=counts.get("card", Window()),
        device_velocity=counts.get("device", Window()),
        ip_velocity=counts.get("ip", Window()),
        device_cards=counts.get("device_cards", Window()),
        browser_net_cards=counts.get("net_cards", Window()),
        ip_cards=counts.get("ip_cards", Window()),
        device_cards_ever=ever.get("device_cards", 0),
        denied=frozenset(denied),
    )
    return _with_profile(history, profile)


def _with_profile(history: History, row: tuple[Any, ...] | None) -> History:
    if row is None:
        return history
    first, auths, trusted, n, log_sum, log_sq, max_yen, marks, fraud_at, failures, failed_at, passed_at = row
    mean = log_sum / n if n else 0.0
    std = math.sqrt(max(log_sq / n - mean * mean, 0.0)) if n else 0.0
    return replace(
        history,
        card_auths=auths,
        card_trusted_auths=trusted,
        card_first_seen=aware_datetime(first),
        amount_n=n,
        amount_log_mean=mean,
        amount_log_std=std,
        amount_max_yen=max_yen,
        fraud_marks=marks,
        last_fraud_at=aware_datetime(fraud_at),
        challenge_failures=failures,
        last_challenge_failed_at=aware_datetime(failed_at),
        last_challenge_passed_at=aware_datetime(passed_at),
    )
