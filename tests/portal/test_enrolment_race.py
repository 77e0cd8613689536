"""A double press of "send code" makes one verification and one SMS (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from portal.models import Card, PhoneVerificationDevice
from portal.sms.models import SmsMessage

from ..conftest import make_member

PRESSES = 4


@pytest.mark.django_db(transaction=True)  # each thread commits on its own connection
def test_parallel_presses_of_send_code_make_one_verification_and_one_sms(unregistered_card: Card) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks whole tables: the threads fail instead of queueing")
    dan = make_member(unregistered_card, "dan-tanaka", method=None)
    clients = [Client() for _ in range(PRESSES)]
    for client in clients:
        client.force_login(dan)
    start = threading.Barrier(PRESSES)

    def press(client: Client) -> int:
        try:
            start.wait()
            return client.post("/3ds/enrol/", {"mobile": "080-1234-5678"}).status_code
        finally:
            connection.close()  # the thread's own connection, or the test database cannot be flushed

    with ThreadPoolExecutor(PRESSES) as pool:
        statuses = sorted(pool.map(press, clients))

    assert PhoneVerificationDevice.objects.filter(user=dan).count() == 1
    assert SmsMessage.objects.count() == 1
    assert statuses == [200] * (PRESSES - 1) + [302]  # the others are told to wait
