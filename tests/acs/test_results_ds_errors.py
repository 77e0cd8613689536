"""The Erros the ACS sends a DS on the results leg: 402 after a read timeout, and one for a bad RRes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any
from unittest import mock

import pytest
import requests
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from acs.models import ResultDelivery, Transaction
from acs.results import result_send
from portal.models import Member

from .conftest import failed_challenge
from .ds_server import INVALID_REPLIES, running_ds

Post = Callable[..., Any]


def _ids(txn: Transaction) -> dict[str, str]:
    return {
        "threeDSServerTransID": str(txn.three_ds_server_trans_id),
        "acsTransID": str(txn.acs_trans_id),
        "dsTransID": str(txn.ds_trans_id),
    }


def _later(seconds: int = 11) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_it_tells_the_ds_402_after_a_read_timeout_and_sends_the_rreq_again(
    post_areq: Post, alice: Member
) -> None:
    with running_ds(delay=2.0) as ds:
        txn = failed_challenge(post_areq, ds.url)
        with override_settings(RREQ_READ_TIMEOUT=1):
            row = result_send(delivery_id=ResultDelivery.objects.get().pk)
        assert row is not None and row.status == ResultDelivery.Status.PENDING
        [erro] = ds.errors
        assert {k: erro[k] for k in ("errorCode", "errorComponent", "errorMessageType")} == {
            "errorCode": "402",
            "errorComponent": "A",
            "errorMessageType": "RReq",
        }
        assert {k: erro[k] for k in _ids(txn)} == _ids(txn)
        assert erro["messageVersion"] == txn.message_version
        assert "Erro 402 sent to the DS" in row.last_error
        assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=8)  # every 10 s
        ds.delay = 0
        with mock.patch("acs.results.timezone.now", return_value=_later()):
            call_command("deliver_results", stdout=StringIO())
    row.refresh_from_db()
    assert row.status == ResultDelivery.Status.DELIVERED
    assert len(ds.received) == 2 and len(ds.errors) == 1


def test_an_erro_that_cannot_be_sent_does_not_hold_up_the_rreq(post_areq: Post, alice: Member) -> None:
    txn = failed_challenge(post_areq, "https://ds.example/rreq")
    failures = [requests.ReadTimeout("RRes"), requests.ConnectionError("Erro")]
    with mock.patch("acs.results._session.post", side_effect=failures) as post:
        row = result_send(delivery_id=ResultDelivery.objects.get(transaction=txn).pk)
    assert post.call_count == 2
    assert row is not None and row.status == ResultDelivery.Status.PENDING
    assert "not sent to the DS" in row.last_error
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=8)


@pytest.mark.parametrize(("mode", "code"), INVALID_REPLIES.items())
def test_it_answers_an_invalid_rres_with_an_erro_and_stops(
    post_areq: Post, alice: Member, mode: str, code: str
) -> None:
    with running_ds(mode=mode) as ds:
        txn = failed_challenge(post_areq, ds.url)
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
        with mock.patch("acs.results.timezone.now", return_value=_later(60)):
            call_command("deliver_results", stdout=StringIO())
    assert row is not None and row.status == ResultDelivery.Status.INVALID
    assert f"Erro {code} sent to the DS" in row.last_error
    [erro] = ds.errors
    assert (erro["errorCode"], erro["errorComponent"]) == (code, "A")
    assert {k: erro[k] for k in _ids(txn)} == _ids(txn)
    assert len(ds.received) == 1  # the RReq is not sent again


def test_it_sends_again_after_a_proxy_error_page_without_an_erro(post_areq: Post, alice: Member) -> None:
    with running_ds(mode="bad_gateway") as ds:
        failed_challenge(post_areq, ds.url)
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
        assert row is not None and row.status == ResultDelivery.Status.PENDING
        ds.mode = "rres"
        with mock.patch("acs.results.timezone.now", return_value=_later()):
            call_command("deliver_results", stdout=StringIO())
    row.refresh_from_db()
    assert row.status == ResultDelivery.Status.DELIVERED
    assert ds.errors == []
