"""RReq delivery to a Directory Server over real HTTP, through the durable outbox."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from acs import services
from acs.models import ResultDelivery, Transaction
from acs.results import claim_lease, result_send
from portal.models import Member

from .conftest import make_areq
from .ds_server import running_ds

Post = Callable[..., Any]


def _challenge(post_areq: Post, ds_url: str, version: str = "2.2.0") -> Transaction:
    ares = post_areq(make_areq(version, challenge_ind="04", dsURL=ds_url)).json()
    assert ares["transStatus"] == "C"
    return Transaction.objects.get(acs_trans_id=ares["acsTransID"])


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/rreq"


def _later(seconds: int = 11) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("version", ["2.1.0", "2.2.0", "2.3.1"])
def test_it_delivers_a_successful_result(post_areq: Post, alice: Member, version: str) -> None:
    with running_ds() as ds:
        txn = _challenge(post_areq, ds.url, version)
        Transaction.objects.filter(pk=txn.pk).update(
            state=Transaction.State.CHALLENGING, interaction_counter=2
        )
        services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="Y")
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
    assert row is not None and row.status == ResultDelivery.Status.DELIVERED
    assert row.response is not None and row.response["resultsStatus"] == "01"
    [rreq] = ds.received
    assert rreq["messageType"] == "RReq"
    assert rreq["transStatus"] == "Y" and rreq["eci"] == "05"
    assert len(rreq["authenticationValue"]) == 28
    assert rreq["interactionCounter"] == "02"
    assert rreq["messageCategory"] == "01"
    txn.refresh_from_db()
    assert services.verify_av(txn=txn, value=rreq["authenticationValue"])


def test_it_records_an_erro_answer_and_stops(post_areq: Post, alice: Member) -> None:
    with running_ds(mode="erro") as ds:
        txn = _challenge(post_areq, ds.url)
        services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="N", reason="19")
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
        assert row is not None and row.status == ResultDelivery.Status.REFUSED
        assert "Erro 203" in row.last_error
        assert row.response is not None and row.response["errorCode"] == "203"
        call_command("deliver_results", stdout=StringIO())
    assert len(ds.received) == 1


def test_it_keeps_an_unanswered_result_and_delivers_it_later(post_areq: Post, alice: Member) -> None:
    with running_ds(delay=2.0) as ds:
        txn = _challenge(post_areq, ds.url)
        services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="N", reason="14", cancel="05")
        with override_settings(RREQ_READ_TIMEOUT=1):
            row = result_send(delivery_id=ResultDelivery.objects.get().pk)
        assert row is not None and row.status == ResultDelivery.Status.PENDING
        assert "read timeout" in row.last_error
        ds.delay = 0
        # Not due yet: the retry waits RREQ_RETRY_SECONDS.
        out = StringIO()
        call_command("deliver_results", stdout=out)
        assert "delivered 0, pending 1" in out.getvalue()
        with mock.patch("acs.results.timezone.now", return_value=_later()):
            call_command("deliver_results", stdout=out)
    row.refresh_from_db()
    assert row.status == ResultDelivery.Status.DELIVERED
    assert row.attempts == 2


def test_it_retries_at_once_after_a_connection_failure_then_every_ten_seconds(
    post_areq: Post, alice: Member
) -> None:
    txn = _challenge(post_areq, _closed_port_url())
    services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="N", reason="01")
    with mock.patch("acs.results._post", wraps=__import__("acs.results", fromlist=["_post"])._post) as post:
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
    assert post.call_count == 2
    assert row is not None and row.status == ResultDelivery.Status.PENDING
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=8)
    with running_ds() as ds:
        Transaction.objects.filter(pk=txn.pk).update(ds_url=ds.url)
        with mock.patch("acs.results.timezone.now", return_value=_later()):
            call_command("deliver_results", stdout=StringIO())
    row.refresh_from_db()
    assert row.status == ResultDelivery.Status.DELIVERED
    assert len(ds.received) == 1


def test_a_crash_between_send_and_record_neither_loses_nor_duplicates(post_areq: Post, alice: Member) -> None:
    with running_ds() as ds:
        txn = _challenge(post_areq, ds.url)
        services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="Y")
        row_id = ResultDelivery.objects.get().pk
        with mock.patch("acs.results._record", side_effect=SystemExit("killed")), pytest.raises(SystemExit):
            result_send(delivery_id=row_id)
        # The process died after the DS got the RReq: the outbox still holds it, claimed.
        row = ResultDelivery.objects.get(pk=row_id)
        assert row.status == ResultDelivery.Status.PENDING and row.attempts == 1
        call_command("deliver_results", stdout=StringIO())
        assert len(ds.received) == 1  # the claim's lease still holds
        after_lease = int(claim_lease().total_seconds()) + 1
        with mock.patch("acs.results.timezone.now", return_value=_later(after_lease)):
            call_command("deliver_results", stdout=StringIO())
            row.refresh_from_db()
            assert row.status == ResultDelivery.Status.DELIVERED
            # Once recorded as delivered, never sent again.
            call_command("deliver_results", stdout=StringIO())
        with mock.patch("acs.results.timezone.now", return_value=_later(after_lease + 60)):
            call_command("deliver_results", stdout=StringIO())
    assert len(ds.processed) == 1
    assert len(ds.received) == 2  # the resend after the crash, answered 312 by the DS


def test_it_queues_exactly_one_rreq_per_challenge(post_areq: Post, alice: Member) -> None:
    with running_ds() as ds:
        txn = _challenge(post_areq, ds.url)
        assert services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="Y") is not None
        assert (
            services.challenge_complete(acs_trans_id=txn.acs_trans_id, trans_status="N", reason="01") is None
        )
    assert ResultDelivery.objects.count() == 1


def test_it_ends_a_challenge_whose_first_creq_never_came(post_areq: Post, alice: Member) -> None:
    with running_ds() as ds:
        txn = _challenge(post_areq, ds.url)
        assert services.challenges_expire() == []
        ended = services.challenges_expire(now=timezone.now() + dt.timedelta(seconds=31))
        assert [t.pk for t in ended] == [txn.pk]
        call_command("deliver_results", stdout=StringIO())
    [rreq] = ds.received
    assert (rreq["transStatus"], rreq["transStatusReason"], rreq["challengeCancel"]) == ("N", "14", "05")
    assert "authenticationValue" not in rreq and "eci" not in rreq
