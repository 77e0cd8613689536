"""The provider's whole answer must arrive within RISK_PROVIDER_TIMEOUT_MS, however it trickles."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from django.test import override_settings

import riskanalysis
from riskanalysis import provider

from .conftest import make_facts

BODY = b'{"verdict": "allow", "score": 5}'
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY)


class Trickler:
    """A provider that sends its answer one byte every 50 ms, from `slow_from` on."""

    def __init__(self, slow_from: int) -> None:
        self.slow_from = slow_from
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            message = HEAD + BODY
            conn.sendall(message[: self.slow_from])
            for i in range(self.slow_from, len(message)):
                if self.stop.wait(0.05):
                    return  # the test is over: hang up, so that the exchange's thread ends
                try:
                    conn.sendall(message[i : i + 1])
                except (BrokenPipeError, ConnectionResetError):
                    return  # the exchange gave up at its deadline and hung up


@pytest.fixture(params=[0, len(HEAD)], ids=["headers-and-body", "body"])
def trickler(request: pytest.FixtureRequest) -> Iterator[Trickler]:
    server = Trickler(slow_from=request.param)
    with override_settings(
        RISK_PROVIDER="http",
        RISK_PROVIDER_URL=f"http://127.0.0.1:{server.port}/score",
        RISK_PROVIDER_TIMEOUT_MS=300,
        RISK_PROVIDER_BREAKER_FAILURES=3,
        RISK_PROVIDER_BREAKER_OPEN_SECONDS=30,
    ):
        provider.reset()
        yield server
    server.stop.set()
    server.listener.close()


def test_it_stops_waiting_for_a_trickling_provider_at_the_time_limit(db: None, trickler: Trickler) -> None:
    started = time.monotonic()
    decision = riskanalysis.assess(make_facts())
    elapsed = time.monotonic() - started

    assert elapsed < 0.6, f"the AReq waited {elapsed:.2f} s for a 300 ms provider"
    assert decision.provider == "http_timeout"
    assert (provider.stats["timeout"], provider.stats["ok"]) == (1, 0)


def test_a_trickling_provider_opens_the_circuit(db: None, trickler: Trickler) -> None:
    for _ in range(3):
        assert riskanalysis.assess(make_facts()).provider == "http_timeout"

    assert provider.breaker().state == "open"
    assert riskanalysis.assess(make_facts()).provider == "http_circuit_open"


def test_a_trickled_body_frees_its_exchange_at_the_deadline(db: None) -> None:
    # The AReq stops waiting either way; this is about the pool's thread, which a chunked read
    # would hold until the whole body had trickled in.
    server = Trickler(slow_from=len(HEAD))
    try:
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            provider._exchange(f"http://127.0.0.1:{server.port}/score", {}, limit=5.0, deadline=started + 0.3)
        elapsed = time.monotonic() - started
    finally:
        server.stop.set()
        server.listener.close()
    assert elapsed < 0.6, f"the exchange held its thread {elapsed:.2f} s"
