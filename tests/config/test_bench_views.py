"""The benchmark's reference views: the store floor does the least an AReq must, and no more."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from acs.models import Transaction
from config import bench
from tests.acs.conftest import make_areq


def _post(view: Callable[[HttpRequest], HttpResponse], message: dict[str, Any]) -> HttpResponse:
    request = RequestFactory().post("/bench/store", json.dumps(message), content_type="application/json")
    return view(request)


def test_the_bare_view_answers_a_fixed_json_body() -> None:
    response = _post(bench.bare, {})

    assert response.status_code == 200
    assert response.content == b'{"ok":true}'
    assert response["Content-Length"] == "11"


@pytest.mark.django_db
def test_the_store_floor_stores_the_areqs_transaction_and_reads_nothing_else(card_ranges: None) -> None:
    _post(bench.store, make_areq("2.2.0"))  # the first one loads the card ranges into the cache
    message = make_areq("2.3.1", acctNumber="4111111111111111")

    with CaptureQueriesContext(connection) as captured:
        response = _post(bench.store, message)

    assert response.status_code == 200
    # The test's own transaction wraps the statement in a savepoint; in production it runs alone.
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith('INSERT INTO "acs_transaction"')
    txn = Transaction.objects.get(three_ds_server_trans_id=message["threeDSServerTransID"])
    assert txn.masked_pan == "4111 11** **** 1111"
    assert txn.brand == "visa"
    assert txn.card_id is None  # the floor reads no card
    assert "4111111111111111" not in json.dumps(list(Transaction.objects.values_list()), default=str)
