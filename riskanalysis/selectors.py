"""Reads of stored risk signals.

The history look-up is on the path of every AReq, so it is one statement of plain SQL: the
card's profile (primary key), the card's signals for the values this AReq presents (the unique
index on card and value), and capped index range scans for velocity and the deny list, as one
UNION. Counts are capped (LIMIT) so that a burst or a busy carrier network costs the same as a
quiet card. The ACS sends it with its own reads (`history_read`, config.sql.read_together).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import uuid
from dataclasses import replace
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_datetime

from config.sql import Read, Statement, datetime_param, first_row, read
from riskanalysis.facts import MethodDevice
from riskanalysis.history import METHOD_DEVICE_KINDS, History, Kind, Seen, Window
from riskanalysis.models import KEY_LENGTH, DeviceProfile
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
    "FROM riskanalysis_cardsignal WHERE card_key = %s AND value_key IN ({values})"
)
_COUNTS = "0.0, 0.0, {ever}, 0, NULL, 0, NULL, NULL"


_METHOD_DEVICE_SQL = (
    "SELECT device_id_hash, fingerprint_hash, timezone_offset FROM riskanalysis_deviceprofile "
    "WHERE three_ds_server_trans_id = %s"
)


def method_device_for(three_ds_server_trans_id: str | uuid.UUID) -> MethodDevice | None:
    """Return what the 3DS Method collected for a transaction, as the engine reads it (AReq path)."""
    return read(method_device_read(three_ds_server_trans_id))


def method_device_read(three_ds_server_trans_id: str | uuid.UUID) -> Read[MethodDevice | None]:
    """The read behind `method_device_for`, to run with others (config.sql.read_together)."""
    try:
        key = uuid.UUID(str(three_ds_server_trans_id))
    except ValueError:
        return Read(None, _method_device)
    column = DeviceProfile._meta.get_field("three_ds_server_trans_id")
    return Read(Statement(_METHOD_DEVICE_SQL, [column.get_db_prep_value(key, connection)]), _method_device)


def _method_device(rows: list[tuple[Any, ...]]) -> MethodDevice | None:
    row = first_row(rows)
    if row is None:
        return None
    device_id, fingerprint, offset = row
    return MethodDevice(device_id_key=device_id, fingerprint_key=fingerprint, timezone_offset=offset)


def _dt(value: Any) -> dt.datetime | None:
    """Read a timestamp from a raw row: PostgreSQL gives datetimes, SQLite may give text."""
    when = value if value is None or isinstance(value, dt.datetime) else parse_datetime(str(value))
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


# The 3DS Method's device values, in rank order (device id, then fingerprint), as a CTE the parts
# read: from the keys when the caller knows them, else looked up by threeDSServerTransID inside
# the statement itself, so that the ACS can send it with its other reads in one round trip.
# substr() as keys_for's [:KEY_LENGTH], in SQL that SQLite reads too.
_METHOD_VALUES_LOOKUP = (
    "WITH method_values(rank, v) AS ("  # noqa: S608 - KEY_LENGTH is a constant
    f"SELECT 1, substr(device_id_hash, 1, {KEY_LENGTH}) FROM riskanalysis_deviceprofile "
    "WHERE three_ds_server_trans_id = %s AND device_id_hash <> '' UNION ALL "
    f"SELECT 2, substr(fingerprint_hash, 1, {KEY_LENGTH}) FROM riskanalysis_deviceprofile "
    "WHERE three_ds_server_trans_id = %s AND fingerprint_hash <> '') "
)
_NO_METHOD_VALUES = "WITH method_values(rank, v) AS (SELECT 1, '' WHERE 1 = 0) "


def _method_values(keys: Keys, method_of: str | None) -> tuple[str, list[Any]]:
    if method_of is not None:
        try:
            trans_id = uuid.UUID(method_of)
        except ValueError:
            return _NO_METHOD_VALUES, []  # no Method could have stored a device under it
        column = DeviceProfile._meta.get_field("three_ds_server_trans_id")
        key = column.get_db_prep_value(trans_id, connection)
        return _METHOD_VALUES_LOOKUP, [key, key]
    known = [v for kind in METHOD_DEVICE_KINDS if (v := keys.values.get(kind))]
    if not known:
        return _NO_METHOD_VALUES, []
    rows = ", ".join(f"({rank}, %s)" for rank in range(1, len(known) + 1))
    return f"WITH method_values(rank, v) AS (VALUES {rows}) ", known


def _velocity_parts(keys: Keys, now: dt.datetime) -> tuple[list[str], list[Any]]:
    """Return the parts that count, per subject, over 10 minutes, an hour and a day.

    Each part reads at most VELOCITY_CAP rows of one index range and answers one row:
    (tag, -, in 10 minutes, in an hour, in a day, ..., ever). Cards seen with a device are
    counted distinct: one card may be seen under both the device id and the fingerprint.
    The device's values come from the method_values CTE (history_sql).
    """
    windows = [datetime_param(now - dt.timedelta(minutes=10)), datetime_param(now - dt.timedelta(hours=1))]
    day = datetime_param(now - dt.timedelta(hours=24))
    parts: list[str] = []
    params: list[Any] = []

    def auths(tag: str, column: str, value: str, value_params: list[Any]) -> None:
        parts.append(
            f"SELECT '{tag}', NULL, SUM(CASE WHEN t.at >= %s THEN 1 ELSE 0 END), "  # noqa: S608
            f"SUM(CASE WHEN t.at >= %s THEN 1 ELSE 0 END), COUNT(*), {_COUNTS.format(ever='COUNT(*)')} "
            f"FROM (SELECT created_at AS at FROM riskanalysis_assessment WHERE {column} = {value} "
            f"AND {column} <> '' AND created_at >= %s ORDER BY created_at DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([*windows, *value_params, day])

    def cards(tag: str, values: str, value_params: list[Any], *, ever: bool = False) -> None:
        # `ever`: over the retention period (the most recent cards, capped), not just the day.
        parts.append(
            f"SELECT '{tag}', NULL, COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "  # noqa: S608
            "COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "
            "COUNT(DISTINCT CASE WHEN t.at >= %s THEN t.card END), "
            f"{_COUNTS.format(ever='COUNT(DISTINCT t.card)')} "
            "FROM (SELECT last_seen AS at, card_key AS card FROM riskanalysis_cardsignal "
            f"WHERE value_key IN ({values}) AND card_key <> %s {'' if ever else 'AND last_seen >= %s '}"
            f"ORDER BY last_seen DESC LIMIT {VELOCITY_CAP}) t"
        )
        params.extend([*windows, day, *value_params, keys.card, *([] if ever else [day])])

    def denied(values: str, value_params: list[Any]) -> None:
        parts.append(
            f"SELECT 'deny:' || kind, NULL, 0, 0, 0, {_COUNTS.format(ever=0)} "  # noqa: S608
            f"FROM riskanalysis_denyentry WHERE value_key IN ({values}) AND expires_at > %s"
        )
        params.extend([*value_params, datetime_param(now)])

    auths("card", "card_key", "%s", [keys.card])
    # The device: its id, else its fingerprint (Keys.device); no rows when the Method found none.
    auths("device", "device_key", "(SELECT v FROM method_values ORDER BY rank LIMIT 1)", [])
    if keys.ip:
        auths("ip", "ip_key", "%s", [keys.ip])
        cards("ip_cards", "%s", [keys.ip])
    cards("device_cards", "SELECT v FROM method_values", [], ever=True)
    if net := keys.values.get(Kind.BROWSER_NET):
        cards("net_cards", "%s", [net])
    denied("SELECT v FROM method_values", [])
    if keys.ip:
        denied("%s", [keys.ip])
    return parts, params


def history_sql(keys: Keys, now: dt.datetime, *, method_of: str | None = None) -> tuple[str, list[Any]]:
    """Return the history look-up: one statement of UNION ALL parts.

    `method_of`: a threeDSServerTransID whose 3DS Method device the statement looks up itself;
    `keys` then carry no device values. Without it the device values come from `keys`.
    """
    head, head_params = _method_values(keys, method_of)
    presented = [v for kind, v in keys.values.items() if kind not in METHOD_DEVICE_KINDS]
    parts, params = [_PROFILE_SQL], [keys.card]
    if presented:
        parts.append(_SEEN_SQL.format(values=",".join(["%s"] * len(presented))))
        params.extend([keys.card, *presented])
    parts.append(_SEEN_SQL.format(values="SELECT v FROM method_values"))
    params.append(keys.card)
    velocity, velocity_params = _velocity_parts(keys, now)
    return head + " UNION ALL ".join([*parts, *velocity]), [*head_params, *params, *velocity_params]


def history_for(keys: Keys, *, now: dt.datetime) -> History:
    """Return what the history knows about this card and the values this AReq presents: one query."""
    return read(history_read(keys, now=now))


def history_read(keys: Keys, *, now: dt.datetime, method_of: str | None = None) -> Read[History]:
    """The read behind `history_for`, to run with others (config.sql.read_together).

    `method_of`: the threeDSServerTransID whose 3DS Method device the read looks up itself, for
    a caller that does not know it yet (see history_sql).
    """
    sql, params = history_sql(keys, now, method_of=method_of)
    return Read(Statement(sql, params), functools.partial(_history, now=now))


def _history(rows: list[tuple[Any, ...]], *, now: dt.datetime) -> History:
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
            seen[Kind(tag[5:])] = Seen(row[2], row[3], _dt(row[1]) or now, _dt(row[9]) or now)
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
        card_first_seen=_dt(first),
        amount_n=n,
        amount_log_mean=mean,
        amount_log_std=std,
        amount_max_yen=max_yen,
        fraud_marks=marks,
        last_fraud_at=_dt(fraud_at),
        challenge_failures=failures,
        last_challenge_failed_at=_dt(failed_at),
        last_challenge_passed_at=_dt(passed_at),
    )
