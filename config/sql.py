"""SQL for the AReq path: prepared statements, model INSERTs without the ORM's compiler, one-trip writes.

Every AReq reads a card, a device profile and the risk history, then stores a transaction and
its risk history. Through the ORM that was nine statements and about four milliseconds of
Python compiling the same SQL again and again. Here the SQL is built once per model, executed
as a server-side prepared statement on PostgreSQL, and related writes (the risk history's three)
travel as one statement. Everything still goes through Django's cursor wrapper, so database
errors arrive as `django.db` exceptions and the test tools see every query.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str
    params: Sequence[Any]


def _db() -> BaseDatabaseWrapper:
    # The connection itself: `django.db.connection` is a proxy that costs a lookup per attribute.
    return connections[DEFAULT_DB_ALIAS]


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose statements PostgreSQL parses and plans once per connection.

    Django's default psycopg cursor binds parameters on the client and so can never prepare.
    A server-binding cursor sends parameters apart from the SQL; psycopg prepares a statement
    once it has run `prepare_threshold` times (settings: DATABASES OPTIONS).
    """
    db = _db()
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg import pq

    db.close_if_health_check_failed()
    db.ensure_connection()
    raw = ServerBindingCursor(db.connection)  # type: ignore[call-arg]
    # Binary results: psycopg decodes them in C (Django's text timestamp loader is Python).
    raw.format = pq.Format.BINARY  # type: ignore[attr-defined]
    with db.wrap_database_errors:
        # The same wrapping as connection.cursor(): error translation, query logging in tests.
        cursor = db._prepare_cursor(raw)  # type: ignore[attr-defined]
    with cursor:
        yield cursor


def datetime_param(value: dt.datetime) -> Any:
    """A datetime as a raw SQL parameter, as the ORM would pass it to this database."""
    return _db().ops.adapt_datetimefield_value(value)


def _statement_scope() -> AbstractContextManager[Any]:
    """One statement is atomic by itself; inside a caller's transaction it gets a savepoint, so
    that its failure (a replayed ID, say) leaves the caller's transaction usable."""
    return transaction.atomic() if _db().in_atomic_block else nullcontext()


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()  # type: ignore[no-any-return]


@functools.cache
def _insert_plan(model: type[models.Model]) -> tuple[str, tuple[models.Field[Any, Any], ...]]:
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    )
    quote = _db().ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", fields  # noqa: S608


def insert_statement(instance: models.Model) -> Statement:
    """The INSERT the ORM would run for a new `instance` (defaults, auto_now, encryption applied)."""
    sql, fields = _insert_plan(type(instance))
    db = _db()
    params = [field.get_db_prep_save(field.pre_save(instance, True), db) for field in fields]
    return Statement(sql, params)


def insert(instance: models.Model) -> None:
    """Save a new `instance` as `save(force_insert=True)` would, as one prepared statement."""
    statement = insert_statement(instance)
    db = _db()
    pk = db.ops.quote_name(str(instance._meta.pk.column))
    with _statement_scope():
        row = fetch_one(f"{statement.sql} RETURNING {pk}", statement.params)
    assert row is not None  # noqa: S101 - an INSERT ... RETURNING returns its row or raises
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = db.alias


def _as_one_statement(statements: Sequence[Statement]) -> Statement:
    # Data-modifying CTEs: PostgreSQL runs them and the final statement as one atomic statement.
    *first, last = statements
    ctes = ", ".join(f"w{i} AS ({s.sql})" for i, s in enumerate(first))
    params = [param for s in statements for param in s.params]
    return Statement(f"WITH {ctes} {last.sql}", params)


def write_together(statements: Sequence[Statement]) -> None:
    """Run `statements` all or nothing: on PostgreSQL in one round trip, with no BEGIN or COMMIT.

    The statements must be independent of one another (no statement reads what another writes,
    no two write the same row): that is what lets them run as one. Keep their parameters at 50 or
    fewer in all: psycopg caches the parsing of a query only up to that many.
    """
    if not statements:
        return
    if _db().vendor == "postgresql":
        combined = _as_one_statement(statements) if len(statements) > 1 else statements[0]
        with _statement_scope(), prepared_cursor() as cursor:
            cursor.execute(combined.sql, combined.params)
        return
    with transaction.atomic(), _db().cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
