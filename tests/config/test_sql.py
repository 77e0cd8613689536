"""config.sql: INSERTs equal to the ORM's, all-or-nothing writes, prepared statements on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from acs.models import Transaction
from config import sql
from portal.models import Member
from riskanalysis.models import Assessment
from tests.acs.transactions import unsaved_transaction

pytestmark = pytest.mark.django_db


UNIQUE_PER_ROW = ("id", "acs_trans_id", "three_ds_server_trans_id", "ds_trans_id", "created_at", "updated_at")


def _stored(txn: Transaction) -> dict[str, object]:
    row = Transaction.objects.get(acs_trans_id=txn.acs_trans_id)
    return {
        field.attname: field.value_from_object(row)
        for field in Transaction._meta.concrete_fields
        if field.attname not in UNIQUE_PER_ROW
    }


def test_insert_stores_what_the_orm_would(alice: Member) -> None:
    by_orm, by_sql = unsaved_transaction(card=alice.card), unsaved_transaction(card=alice.card)
    by_orm.save(force_insert=True)
    sql.insert(by_sql)

    orm_row, sql_row = _stored(by_orm), _stored(by_sql)
    # auto_now fields differ by the moments between the two saves, as stored; nothing else may.
    stored_orm, stored_sql = (Transaction.objects.get(pk=txn.pk) for txn in (by_orm, by_sql))
    for stamp in ("created_at", "updated_at"):
        assert abs(getattr(stored_sql, stamp) - getattr(stored_orm, stamp)) < dt.timedelta(seconds=1)
    assert orm_row == sql_row
    assert sql_row["authentication_value"] == "AAECAwQFBgcICQoLDA0ODxAREhM="  # decrypted on read
    with connection.cursor() as cursor:
        cursor.execute("SELECT authentication_value FROM acs_transaction WHERE id = %s", [by_sql.pk])
        (at_rest,) = cursor.fetchone()
    assert "AAECAwQFBgcICQoLDA0ODxAREhM" not in at_rest  # encrypted at rest, as by the ORM


def test_insert_converts_as_the_orm_would_where_values_are_not_plain() -> None:
    # JSON, a str for an int, an int for a str, a None: each goes through the field's conversion.
    fields = {
        "card_key": "c" * 20,
        "signal_keys": [["device_id", "d" * 32]],
        "amount_yen": "1200",
        "mcc": 5411,
        "outcome": "challenge",
        "score": 40,
        "reasons": [{"code": "new_device", "score": 40}],
        "shadow_score": None,
        "elapsed_us": 1234,
    }
    by_orm = Assessment(acs_trans_id=uuid.uuid4(), **fields)
    by_orm.save(force_insert=True)
    by_sql = Assessment(acs_trans_id=uuid.uuid4(), **fields)
    sql.insert(by_sql)

    def stored(acs_trans_id: uuid.UUID) -> dict[str, object]:
        row = Assessment.objects.get(acs_trans_id=acs_trans_id)
        return {
            f.attname: f.value_from_object(row)
            for f in Assessment._meta.concrete_fields
            if f.attname not in ("id", "acs_trans_id", "created_at")
        }

    assert stored(by_sql.acs_trans_id) == stored(by_orm.acs_trans_id)
    assert stored(by_sql.acs_trans_id)["amount_yen"] == 1200
    assert stored(by_sql.acs_trans_id)["mcc"] == "5411"


def test_insert_leaves_an_instance_the_orm_can_update() -> None:
    txn = unsaved_transaction()
    sql.insert(txn)
    assert txn.pk is not None and not txn._state.adding
    txn.trans_status = "N"
    txn.save(update_fields=["trans_status"])
    txn.refresh_from_db()
    assert (Transaction.objects.count(), txn.trans_status) == (1, "N")


def test_a_failed_insert_leaves_the_callers_transaction_usable() -> None:
    first = unsaved_transaction()
    sql.insert(first)
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            sql.insert(unsaved_transaction(ds_trans_id=first.ds_trans_id))
        assert Transaction.objects.count() == 1  # still usable: the insert had its own savepoint


def _assessment(acs_trans_id: uuid.UUID) -> Assessment:
    return Assessment(acs_trans_id=acs_trans_id, card_key="c" * 20, outcome="frictionless", score=0)


def test_a_refused_insert_stores_nothing_of_its_writes() -> None:
    first = unsaved_transaction()
    sql.insert(first)
    replayed, learnt = unsaved_transaction(ds_trans_id=first.ds_trans_id), uuid.uuid4()
    with pytest.raises(IntegrityError):
        sql.insert(replayed, together=[sql.insert_statement(_assessment(learnt))])
    assert not Assessment.objects.filter(acs_trans_id=learnt).exists()
    assert Transaction.objects.count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)  # autocommit, as in production: no savepoint around it
def test_on_postgresql_writes_travel_as_one_prepared_statement() -> None:
    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            return int(cursor.fetchone()[0])

    before = prepared()
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            sql.insert(unsaved_transaction(), together=[sql.insert_statement(_assessment(uuid.uuid4()))])
        assert len(queries) == 1
    assert (Transaction.objects.count(), Assessment.objects.count()) == (3, 3)
    assert prepared() == before + 1  # prepared once past the threshold, then reused


def test_numbered_writes_postgresqls_own_placeholders() -> None:
    assert sql.numbered("SELECT %s, '100%%', %s") == "SELECT $1, '100%', $2"
    with pytest.raises(ValueError, match="only %s"):
        sql.numbered("SELECT %(name)s")


def test_insert_stores_the_statements_together_with_it_or_nothing() -> None:
    txn, fresh, taken = unsaved_transaction(), uuid.uuid4(), uuid.uuid4()
    sql.insert(txn, together=[sql.insert_statement(_assessment(fresh))])
    assert txn.pk is not None
    assert Assessment.objects.filter(acs_trans_id=fresh).exists()

    sql.insert(_assessment(taken))
    refused = unsaved_transaction()
    with pytest.raises(IntegrityError):
        sql.insert(refused, together=[sql.insert_statement(_assessment(taken))])
    assert not Transaction.objects.filter(ds_trans_id=refused.ds_trans_id).exists()


def test_read_together_answers_as_the_reads_one_by_one(alice: Member) -> None:
    card = sql.Read(
        sql.Statement("SELECT id FROM portal_card WHERE id = %s", [alice.card_id]), lambda row: row
    )
    nobody = sql.Read(sql.Statement("SELECT id FROM portal_card WHERE id = %s", [-1]), lambda row: row)
    unasked = sql.Read(None, lambda row: "nothing asked")
    assert sql.read_together(card, nobody, unasked) == ((alice.card_id,), None, "nothing asked")
    assert sql.read(card) == (alice.card_id,)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_reads_together_take_one_round_trip(alice: Member, tmp_path: Path) -> None:
    def card(pk: int) -> sql.Read[tuple[object, ...] | None]:
        return sql.Read(sql.Statement("SELECT id FROM portal_card WHERE id = %s", [pk]), lambda row: row)

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    trace = tmp_path / "libpq.trace"
    with trace.open("w") as out:
        pgconn.trace(out.fileno())
        try:
            answers = sql.read_together(card(alice.card_id), card(-1), card(alice.card_id))
        finally:
            pgconn.untrace()
    assert answers == ((alice.card_id,), None, (alice.card_id,))
    sent = trace.read_text().splitlines()
    syncs = [line for line in sent if "\tF\t" in line and line.rstrip().endswith("Sync")]
    executes = [line for line in sent if "\tF\t" in line and "\tExecute\t" in line]
    assert (len(executes), len(syncs)) == (3, 1)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)  # autocommit, as in production: a connection may be replaced
def test_reads_together_are_the_health_check_and_survive_a_dropped_connection(alice: Member) -> None:
    def card() -> sql.Read[tuple[object, ...] | None]:
        return sql.Read(
            sql.Statement("SELECT id FROM portal_card WHERE id = %s", [alice.card_id]), lambda row: row
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (dropped,) = cursor.fetchone()
    # As an administrator (or a restart) would, from another session.
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    connection.health_check_done = False  # a new request: Django would check the connection first

    with mock.patch.object(connection, "is_usable", wraps=connection.is_usable) as health_check:
        answers = sql.read_together(card(), card())
    assert answers == ((alice.card_id,), (alice.card_id,))
    health_check.assert_not_called()  # no SELECT 1 round trip before the reads
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != dropped
