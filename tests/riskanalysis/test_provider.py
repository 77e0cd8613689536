"""The external provider over real HTTP (a local server): verdicts, fallback, circuit breaker."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

import riskanalysis
from riskanalysis import provider
from riskanalysis.decision import Outcome
from riskanalysis.provider import CircuitBreaker

from .conftest import make_facts


class Provider(ThreadingHTTPServer):
    """Answers with `answer` (JSON of it; bytes as they are; an int: that HTTP error) after `delay` s."""

    answer: Any = {"verdict": "allow", "score": 5}
    delay = 0.0
    requests: list[dict[str, Any]]


class Handler(BaseHTTPRequestHandler):
    server: Provider

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)
        time.sleep(self.server.delay)
        answer = self.server.answer
        if isinstance(answer, int):
            status, payload = answer, b"{}"
        else:
            status, payload = 200, answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server(db: None) -> Iterator[Provider]:
    httpd = Provider(("127.0.0.1", 0), Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/score"
    with override_settings(
        RISK_PROVIDER="http",
        RISK_PROVIDER_URL=url,
        RISK_PROVIDER_TIMEOUT_MS=300,
        RISK_PROVIDER_BREAKER_FAILURES=3,
        RISK_PROVIDER_BREAKER_OPEN_SECONDS=30,
    ):
        provider.reset()
        yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("verdict", "outcome"),
    [("allow", Outcome.FRICTIONLESS), ("review", Outcome.CHALLENGE), ("deny", Outcome.REJECT)],
)
def test_it_follows_the_providers_verdict(server: Provider, verdict: str, outcome: Outcome) -> None:
    server.answer = {"verdict": verdict, "score": 40}
    decision = riskanalysis.assess(make_facts())
    assert (decision.outcome, decision.provider, decision.score) == (outcome, "http", 40)
    sent = server.requests[0]
    assert sent["ipAddress"] == "133.242.0.7" and len(sent["cardKey"]) == 32
    assert "c" * 64 not in json.dumps(sent)  # the card travels as the risk pseudonym only


def test_it_still_rejects_a_lost_card_that_the_provider_allows(server: Provider) -> None:
    decision = riskanalysis.assess(make_facts(card_status="lost"))
    assert decision.outcome is Outcome.REJECT and decision.trans_status_reason == "10"


def test_it_falls_back_to_the_internal_decision_on_a_timeout(server: Provider) -> None:
    server.delay = 1.0
    started = time.monotonic()
    decision = riskanalysis.assess(
        make_facts(mcc="7995", name_matches=False, method=None, three_ds_comp_ind="N")
    )
    assert time.monotonic() - started < 0.9  # 300 ms, not the provider's second
    assert decision.provider == "http_timeout"
    assert (decision.outcome, decision.score) == (Outcome.FRICTIONLESS, 40)  # the internal rules' answer
    assert provider.stats["timeout"] == 1


@pytest.mark.parametrize("answer", [500, {"verdict": "maybe"}, ["allow"], b"[" * 60_000])
def test_it_falls_back_on_an_error_or_an_unusable_answer(server: Provider, answer: Any) -> None:
    server.answer = answer
    decision = riskanalysis.assess(make_facts(card_status="lost"))
    assert decision.provider == "http_error" and decision.outcome is Outcome.REJECT
    assert provider.stats["error"] == 1


def test_it_opens_the_circuit_after_failures_in_a_row(server: Provider) -> None:
    server.answer = 503
    for _ in range(3):
        assert riskanalysis.assess(make_facts()).provider == "http_error"
    assert provider.breaker().state == "open"
    assert riskanalysis.assess(make_facts()).provider == "http_circuit_open"
    assert len(server.requests) == 3  # no call while open
    assert provider.stats["circuit_open"] == 1


def test_the_breaker_lets_one_trial_through_after_the_pause() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failures_to_open=2, open_seconds=30, clock=lambda: now[0])
    breaker.failure()
    assert breaker.allow()
    breaker.failure()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 31
    assert breaker.state == "half-open"
    assert breaker.allow() and not breaker.allow()  # one trial only
    breaker.failure()
    assert breaker.state == "open"  # the trial failed: open again
    now[0] = 62
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed" and breaker.allow()


def test_it_sends_an_ipv4_client_as_ipv4_however_the_proxy_wrote_it(server: Provider) -> None:
    riskanalysis.assess(make_facts(browser_ip="::ffff:133.242.0.7"))
    assert server.requests[0]["ipAddress"] == "133.242.0.7"
