"""The authentication value of a queued RReq: never in clear at rest or in the admin, always sent."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import connection
from django.test import Client

from acs import services
from acs.models import ResultDelivery, Transaction
from acs.results import result_send
from portal.models import Member

from .conftest import make_areq
from .ds_server import running_ds

Post = Callable[..., Any]


def _passed_challenge(post_areq: Post, ds_url: str) -> Transaction:
    ares = post_areq(make_areq(challenge_ind="04", dsURL=ds_url)).json()
    Transaction.objects.filter(acs_trans_id=ares["acsTransID"]).update(state=Transaction.State.CHALLENGING)
    txn = services.challenge_complete(acs_trans_id=ares["acsTransID"], trans_status="Y", attempt=True)
    assert txn is not None and len(txn.authentication_value) == 28
    return txn


def test_it_keeps_the_value_out_of_the_outbox_and_sends_it(
    post_areq: Post, alice: Member, staff: Member, client: Client
) -> None:
    with running_ds() as ds:
        txn = _passed_challenge(post_areq, ds.url)
        row = ResultDelivery.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT payload FROM acs_resultdelivery")
            [(stored,)] = cursor.fetchall()
        assert txn.authentication_value not in str(stored)
        client.force_login(staff)
        page = client.get(f"/admin/acs/resultdelivery/{row.pk}/change/").content.decode()
        assert page.count(str(txn.acs_trans_id)) and txn.authentication_value not in page

        delivered = result_send(delivery_id=row.pk)

    assert delivered is not None and delivered.status == ResultDelivery.Status.DELIVERED
    [rreq] = ds.received
    assert rreq["authenticationValue"] == txn.authentication_value
    assert services.verify_av(txn=txn, value=rreq["authenticationValue"])


def test_it_sends_no_value_for_a_failed_challenge(post_areq: Post, alice: Member) -> None:
    with running_ds() as ds:
        ares = post_areq(make_areq(challenge_ind="04", dsURL=ds.url)).json()
        services.challenge_complete(acs_trans_id=ares["acsTransID"], trans_status="N", reason="19")
        result_send(delivery_id=ResultDelivery.objects.get().pk)
    [rreq] = ds.received
    assert "authenticationValue" not in rreq and "eci" not in rreq


def test_the_migration_takes_the_values_out_of_rreqs_already_queued(post_areq: Post, alice: Member) -> None:
    txn = _passed_challenge(post_areq, "https://ds.example/rreq")
    row = ResultDelivery.objects.get()
    row.payload = {**row.payload, "authenticationValue": txn.authentication_value}
    row.save()
    migration = importlib.import_module("acs.migrations.0006_rreq_payload_without_authentication_value")

    migration.strip(apps, None)

    row.refresh_from_db()
    assert "authenticationValue" not in row.payload
    migration.restore(apps, None)
    row.refresh_from_db()
    assert row.payload["authenticationValue"] == txn.authentication_value
