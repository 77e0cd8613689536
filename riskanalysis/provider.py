"""An external risk provider (a ThreatMetrix-like HTTP JSON service), behind a circuit breaker.

RISK_PROVIDER chooses "internal" (the default: no call) or "http". The provider gets the
transaction's pseudonyms and the browser data it needs to place the device (IP address, user
agent), and answers {"verdict": "allow" | "review" | "deny", "score": 0-100}. Its verdict
replaces the internal score; the internal hard rules still apply (engine.with_provider).

The DS waits for our ARes, so the provider gets RISK_PROVIDER_TIMEOUT_MS (300 ms) for the
whole exchange, from connecting to the last byte of its answer; a timeout, an error or a bad
answer falls back to the internal decision and is counted. After
RISK_PROVIDER_BREAKER_FAILURES failures in a row the breaker opens: for
RISK_PROVIDER_BREAKER_OPEN_SECONDS no call is made at all (every AReq would otherwise pay the
timeout), then one trial call decides whether it closes again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from enum import StrEnum
from typing import Any

import requests
from django.conf import settings

from riskanalysis import engine, geo
from riskanalysis.decision import Decision, Outcome
from riskanalysis.facts import Facts
from riskanalysis.pricing import amount_in_yen
from riskanalysis.signals import Keys

logger = logging.getLogger(__name__)

VERDICTS = {"allow": Outcome.FRICTIONLESS, "review": Outcome.CHALLENGE, "deny": Outcome.REJECT}
# Per process: what happened to provider calls (the admin's assessments hold it per AReq too).
stats: Counter[str] = Counter()


class CircuitBreaker:
    """Closed: calls go through. Open: none does until `open_seconds` pass. Then one trial."""

    def __init__(
        self, *, failures_to_open: int, open_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failures_to_open = failures_to_open
        self.open_seconds = open_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial = False

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._clock() - self._opened_at >= self.open_seconds else "open"

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self._clock() - self._opened_at < self.open_seconds or self._trial:
                return False
            self._trial = True  # only one request probes a recovering provider
            return True

    def success(self) -> None:
        with self._lock:
            self._failures, self._opened_at, self._trial = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial or self._failures >= self.failures_to_open:
                self._opened_at = self._clock()
            self._trial = False


class ProviderError(Exception):
    pass


_breaker: CircuitBreaker | None = None
_session = requests.Session()
# requests' timeout bounds each socket read, not the exchange: a provider sending a byte every
# 50 ms never trips it. So each exchange runs on this pool and the AReq waits for it no longer
# than the time limit. The body is read as it arrives, against the deadline, so a trickled body
# frees its thread at the deadline; trickled headers keep it until they end or a read times out,
# and the failures they count soon open the breaker.
_exchanges = ThreadPoolExecutor(max_workers=8, thread_name_prefix="risk-provider")
MAX_ANSWER_BYTES = 64 * 1024  # a verdict and a score; anything longer is not an answer


def breaker() -> CircuitBreaker:
    global _breaker
    if _breaker is None:
        _breaker = CircuitBreaker(
            failures_to_open=settings.RISK_PROVIDER_BREAKER_FAILURES,
            open_seconds=settings.RISK_PROVIDER_BREAKER_OPEN_SECONDS,
        )
    return _breaker


def reset() -> None:
    """Forget the breaker's state and the counters (tests, and after changing settings)."""
    global _breaker
    _breaker = None
    stats.clear()


def _payload(facts: Facts, keys: Keys, internal: Decision) -> dict[str, Any]:
    yen = amount_in_yen(facts)
    return {
        "transactionId": facts.three_ds_server_trans_id,
        "cardKey": keys.card,
        "deviceKey": keys.device,
        "ipAddress": _client_ip(facts.browser_ip),
        "ipCountry": facts.ip_country or "",
        "userAgent": facts.browser_user_agent,
        "language": facts.browser_language,
        "timeZone": facts.browser_tz,
        "amountYen": None if yen is None else int(yen),
        "currency": facts.currency,
        "mcc": facts.mcc,
        "merchantCountry": facts.merchant_country,
        "internalScore": internal.score,
    }


def _client_ip(ip: str) -> str:
    # The provider sees one client whether a proxy wrote it ::ffff:8.8.8.8 or 8.8.8.8.
    try:
        return str(geo.client_address(ip)) if ip else ""
    except ValueError:
        return ip


def _exchange(url: str, payload: dict[str, Any], limit: float, deadline: float) -> Any:
    """POST the payload and return the decoded answer, read in full before `deadline`."""
    with _session.post(url, json=payload, timeout=(limit, limit), stream=True) as response:
        response.raise_for_status()
        answer = bytearray()
        # read1 returns what has arrived: iter_content would wait for a whole chunk, past the deadline.
        while chunk := response.raw.read1(4096, decode_content=True):
            answer += chunk
            if time.monotonic() > deadline:
                raise requests.Timeout("answer not complete within the time limit")
            if len(answer) > MAX_ANSWER_BYTES:
                raise ProviderError("answer too long")
    return json.loads(answer)


def _call(payload: dict[str, Any]) -> tuple[Outcome, int]:
    limit = settings.RISK_PROVIDER_TIMEOUT_MS / 1000
    deadline = time.monotonic() + limit
    exchange = _exchanges.submit(_exchange, settings.RISK_PROVIDER_URL, payload, limit, deadline)
    try:
        body = exchange.result(timeout=limit)
    except FutureTimeout:
        exchange.cancel()  # still queued behind stalled exchanges: never send it
        raise requests.Timeout("no complete answer within the time limit") from None
    if not isinstance(body, dict) or not isinstance(body.get("verdict"), str):
        raise ProviderError(f"unusable answer: {str(body)[:200]}")
    verdict, score = VERDICTS.get(body["verdict"]), body.get("score", 0)
    if verdict is None or not isinstance(score, int):
        raise ProviderError(f"unusable answer: {str(body)[:200]}")
    return verdict, score


class Failure(StrEnum):
    """Why the provider did not decide; the assessment's provider reads "<name>_<failure>"."""

    TIMEOUT = "timeout"
    ERROR = "error"
    CIRCUIT_OPEN = "circuit_open"


def consult(facts: Facts, keys: Keys, internal: Decision) -> Decision:
    """Return the provider's decision combined with the internal hard rules, or `internal`."""
    name = settings.RISK_PROVIDER
    gate = breaker()
    if not gate.allow():
        stats[Failure.CIRCUIT_OPEN] += 1
        return replace(internal, provider=f"{name}_{Failure.CIRCUIT_OPEN}")
    try:
        verdict, score = _call(_payload(facts, keys, internal))
    except requests.Timeout:
        failure = Failure.TIMEOUT
    except (requests.RequestException, ValueError, RecursionError, ProviderError) as exc:
        # RecursionError: json.loads on a deeply nested answer ("[[[[..."), under the size cap.
        logger.warning("risk provider failed: %s", exc.__class__.__name__)
        failure = Failure.ERROR
    else:
        gate.success()
        stats["ok"] += 1
        return replace(engine.with_provider(facts, internal, verdict, score), provider=name)
    gate.failure()
    stats[failure] += 1
    return replace(internal, provider=f"{name}_{failure}")
