"""SQL for the AReq path: prepared statements, model INSERTs without the ORM's compiler, one-trip
reads and writes.

Every AReq reads a card, a device profile and the risk history, then stores a transaction and
its risk history. Through the ORM that was nine statements and about four milliseconds of
Python compiling the same SQL again and again. Here the SQL is built once per model, executed
as a server-side prepared statement on PostgreSQL; independent reads share one round trip
(a psycopg pipeline) and independent writes travel as one statement. A round trip costs the
app about 0.1 ms of CPU and PostgreSQL about as much again, so they are what is counted.
Everything still goes through Django's cursor wrapper, so database errors arrive as `django.db`
exceptions and the test tools see every query.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.utils.dateparse import parse_datetime

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str
    params: Sequence[Any]


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """A one-row read and what to make of its row (None when there is none)."""

    statement: Statement | None  # None: nothing to ask, `result(None)` is the answer
    result: Callable[[tuple[Any, ...] | None], T]


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
    with _server_binding_cursor(db) as cursor:
        yield cursor


_PLACEHOLDER = re.compile(r"%(.?)", re.DOTALL)


@functools.lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """Write `%s` placeholders as PostgreSQL's own `$1, $2, ...` (and `%%` as `%`).

    psycopg then sends the SQL as it is: it no longer splits every query with a regular
    expression, which it caches only for queries of up to 50 parameters (a transaction's INSERT
    has more).
    """
    position = 0

    def number(match: re.Match[str]) -> str:
        nonlocal position
        if match.group(1) == "%":
            return "%"
        if match.group(1) != "s":
            raise ValueError(f"only %s placeholders are supported: {match.group(0)!r} in {sql[:80]!r}")
        position += 1
        return f"${position}"

    return _PLACEHOLDER.sub(number, sql)


@functools.cache
def _numbered_cursor_class() -> type[Any]:
    import psycopg
    from django.db.backends.postgresql.base import CursorMixin

    class NumberedCursor(CursorMixin, psycopg.RawCursor):  # type: ignore[misc]
        """Django's server-binding cursor, given `$n` placeholders made from `%s` (numbered)."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            return super().execute(numbered(query) if isinstance(query, str) else query, params, **kwargs)

    return NumberedCursor


def _server_binding_cursor(db: BaseDatabaseWrapper) -> CursorWrapper:
    from psycopg import pq

    db.close_if_health_check_failed()
    db.ensure_connection()
    raw = _numbered_cursor_class()(db.connection)
    # Binary results: psycopg decodes them in C (Django's text timestamp loader is Python).
    raw.format = pq.Format.BINARY  # type: ignore[attr-defined]
    with db.wrap_database_errors:
        # The same wrapping as connection.cursor(): error translation, query logging in tests.
        return db._prepare_cursor(raw)  # type: ignore[attr-defined,no-any-return]


@overload
def aware_datetime(value: None) -> None: ...
@overload
def aware_datetime(value: dt.datetime | str) -> dt.datetime: ...
def aware_datetime(value: Any) -> dt.datetime | None:
    """Read a timestamp from a raw row: PostgreSQL gives aware datetimes, SQLite naive UTC ones
    or text."""
    when = value if value is None or isinstance(value, dt.datetime) else parse_datetime(str(value))
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when


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


def read(one: Read[T]) -> T:
    return one.result(None if one.statement is None else fetch_one(one.statement.sql, one.statement.params))


@overload
def read_together(first: Read[T], second: Read[U], /) -> tuple[T, U]: ...
@overload
def read_together(*reads: Read[Any]) -> tuple[Any, ...]: ...
def read_together(*reads: Read[Any]) -> tuple[Any, ...]:
    """Run independent one-row reads; on PostgreSQL all in one round trip (a psycopg pipeline)."""
    db = _db()
    asked = [r for r in reads if r.statement is not None]
    if db.vendor != "postgresql" or len(asked) < 2:
        return tuple(read(r) for r in reads)
    return _as_health_check(db, functools.partial(_pipelined, db, reads, asked))


def _as_health_check(db: BaseDatabaseWrapper, reads: Callable[[], T]) -> T:
    """Run side-effect-free reads as the connection's health check.

    Django checks a persistent connection with a `SELECT 1` round trip before a request's first
    statement. Reads change nothing, so when they come first they can be the check themselves:
    should they fail on a connection the server dropped, close it and read again on a new one.
    """
    # Django's own flags (django-stubs lacks them): checks on, not yet done in this request.
    due = db.health_check_enabled and not db.health_check_done  # type: ignore[attr-defined]
    if db.connection is None or not due or db.in_atomic_block:
        return reads()
    db.health_check_done = True  # type: ignore[attr-defined]
    try:
        return reads()
    except (OperationalError, InterfaceError):
        db.close()
        return reads()


def _pipelined(
    db: BaseDatabaseWrapper, reads: Sequence[Read[Any]], asked: Sequence[Read[Any]]
) -> tuple[Any, ...]:
    rows: dict[int, tuple[Any, ...] | None] = {}
    cursors = [_server_binding_cursor(db) for _ in asked]
    try:
        with db.wrap_database_errors:
            # Leaving the pipeline sends its one Sync and receives every answer in that trip;
            # fetching inside it would cost a flush round trip of its own.
            with db.connection.pipeline():
                for cursor, one in zip(cursors, asked, strict=True):
                    assert one.statement is not None  # noqa: S101 - filtered above
                    cursor.execute(one.statement.sql, one.statement.params)
            for cursor, one in zip(cursors, asked, strict=True):
                rows[id(one)] = cursor.fetchone()
    finally:
        for cursor in cursors:
            cursor.close()
    return tuple(r.result(rows.get(id(r))) for r in reads)


# Field classes whose conversion for the database returns a value of these types unchanged
# (Field.get_db_prep_save -> get_prep_value -> to_python). Exact classes: a subclass (an
# encrypted text field, say) may convert, so it takes the field's own path.
_PLAIN: dict[type[models.Field[Any, Any]], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.URLField: (str,),
    models.EmailField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.FloatField: (float,),
}


@dataclass(frozen=True, slots=True)
class _Column:
    field: models.Field[Any, Any]
    attname: str
    plain: tuple[type, ...]  # value types stored as they are; () = always the field's conversion


@functools.cache
def _insert_plan(model: type[models.Model]) -> tuple[str, tuple[_Column, ...]]:
    fields = tuple(
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    )
    quote = _db().ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    return sql, tuple(_Column(field, field.attname, _PLAIN.get(type(field), ())) for field in fields)


def insert_statement(instance: models.Model) -> Statement:
    """The INSERT the ORM would run for a new `instance` (defaults, auto_now, encryption applied).

    Plain values (a str for a CharField, an int for an IntegerField...) skip Django's conversion
    chain, which would return them unchanged: it was a fifth of the AReq's Python time.
    """
    sql, columns = _insert_plan(type(instance))
    db = _db()
    params = []
    for column in columns:
        if column.plain:
            value = getattr(instance, column.attname)
            if value is None or type(value) in column.plain:
                params.append(value)
                continue
        params.append(column.field.get_db_prep_save(column.field.pre_save(instance, True), db))
    return Statement(sql, params)


def insert(instance: models.Model, *, together: Sequence[Statement] = ()) -> None:
    """Save a new `instance` as `save(force_insert=True)` would, as one prepared statement.

    `together`: other writes that go in the same statement: all are stored or none, in one
    round trip. They must be independent of one another and of the INSERT (none reads what
    another writes, no two write the same row): that is what lets them run as one.
    """
    statement = insert_statement(instance)
    db = _db()
    pk = db.ops.quote_name(str(instance._meta.pk.column))
    row = _run_together([*together, Statement(f"{statement.sql} RETURNING {pk}", statement.params)])
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


def _run_together(statements: Sequence[Statement]) -> tuple[Any, ...] | None:
    """Run `statements` all or nothing; return the first row the last one returns, if any."""
    if _db().vendor == "postgresql":
        combined = _as_one_statement(statements) if len(statements) > 1 else statements[0]
        with _statement_scope(), prepared_cursor() as cursor:
            cursor.execute(combined.sql, combined.params)
            return cursor.fetchone() if cursor.description else None
    with transaction.atomic(), _db().cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
        return cursor.fetchone() if cursor.description else None
