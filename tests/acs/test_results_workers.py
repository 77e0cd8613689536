"""Outbox workers side by side (`deliver_results` beside `expire_challenges`) send each RReq once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from acs import results
from acs.models import ResultDelivery
from acs.results import Outcome, result_send
from portal.models import Member

from .conftest import failed_challenge
from .ds_server import running_ds

Post = Callable[..., Any]


def _side_by_side(*starts: tuple[float, str]) -> None:
    """Run each command once in its own thread (own connection), `delay` seconds after the first."""

    def worker(delay: float, command: str) -> None:
        try:
            time.sleep(delay)
            call_command(command, stdout=StringIO())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=start) for start in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)  # each worker commits its claim on its own connection
def test_a_second_worker_leaves_a_row_claimed_late_in_a_slow_pass(post_areq: Post, alice: Member) -> None:
    with running_ds(delay=1.5) as ds, override_settings(RREQ_RETRY_SECONDS=2):
        txns = [failed_challenge(post_areq, ds.url), failed_challenge(post_areq, ds.url)]
        # The first pass sends one RReq (1.5 s), then claims the second; the other worker starts
        # while that second send is under way, later than the pass's start + the retry interval.
        _side_by_side((0, "deliver_results"), (2.2, "expire_challenges"))
    assert Counter(rreq["acsTransID"] for rreq in ds.received) == {str(t.acs_trans_id): 1 for t in txns}
    assert set(ResultDelivery.objects.values_list("status", flat=True)) == {ResultDelivery.Status.DELIVERED}


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_leaves_a_send_slower_than_the_retry_interval(post_areq: Post, alice: Member) -> None:
    with running_ds(delay=2.5) as ds, override_settings(RREQ_RETRY_SECONDS=1):
        failed_challenge(post_areq, ds.url)
        _side_by_side((0, "deliver_results"), (1.2, "deliver_results"))
    assert len(ds.received) == 1
    assert ResultDelivery.objects.get().status == ResultDelivery.Status.DELIVERED


def test_the_lease_outlasts_the_slowest_send() -> None:
    # Two RReqs (connection failure, then the retry at once) and an Erro 402, all at their limits.
    slowest = 2 * (3 + 5) + 3 + results.ERRO_READ_TIMEOUT
    with override_settings(RREQ_CONNECT_TIMEOUT=3, RREQ_READ_TIMEOUT=5):
        assert results.claim_lease().total_seconds() > slowest


def test_a_failed_attempt_is_due_again_ten_seconds_after_it_ended(post_areq: Post, alice: Member) -> None:
    with running_ds(delay=2.0) as ds, override_settings(RREQ_READ_TIMEOUT=1):
        failed_challenge(post_areq, ds.url)
        row = result_send(delivery_id=ResultDelivery.objects.get().pk)
    assert row is not None and row.status == ResultDelivery.Status.PENDING
    ended = timezone.now()
    # The retry schedule, not the claim's much longer lease.
    assert ended + dt.timedelta(seconds=8) < row.next_attempt_at <= ended + dt.timedelta(seconds=10)


def test_a_late_failure_leaves_the_lease_of_a_worker_that_took_over(post_areq: Post, alice: Member) -> None:
    failed_challenge(post_areq, "https://ds.example/rreq")
    row_id = ResultDelivery.objects.get().pk
    taken_over_until = timezone.now() + dt.timedelta(minutes=5)

    def stalled(row: ResultDelivery) -> Outcome:
        # Our lease ran out mid-send and another worker claimed the row.
        ResultDelivery.objects.filter(pk=row_id).update(attempts=2, next_attempt_at=taken_over_until)
        return Outcome("retry", "no RRes within the read timeout")

    with mock.patch("acs.results._send_once", side_effect=stalled):
        result_send(delivery_id=row_id)
    assert ResultDelivery.objects.get(pk=row_id).next_attempt_at == taken_over_until
