"""A small HTTP/1.1 load generator: keep-alive raw sockets, pre-built requests, a few threads.

It shares two cores with the server, so each request costs it one `sendall` of bytes built
before the clock starts and a few `recv`s; no HTTP library, no JSON. It reads Content-Length,
chunked (what Django answers without CommonMiddleware) and close-delimited bodies. Two modes:

- full speed (`rate=None`): `concurrency` connections, each sending its next request as soon
  as the previous answer arrives; latency runs from send to the last byte of the answer.
- fixed rate: request i is due at start + i / rate whatever happened before (open loop), and its
  latency runs from that due time, so a stalled server is charged for every request it delayed
  (no coordinated omission). `concurrency` threads share the schedule; if all are busy a request
  goes out late and the lateness counts in its latency.

An answer is an error when its status is not 200, when it lacks the request's `expect` bytes
(an Erro instead of an ARes, say), or when the connection fails. A server that closes the
connection (gunicorn's sync worker answers `Connection: close`) is reconnected transparently.

    python bench/loadgen.py --url http://127.0.0.1:8000/bench/bare --duration 5 --concurrency 8
    python bench/loadgen.py --url http://127.0.0.1:8000/acs/areq --requests bodies.jsonl --rate 300

`--requests` reads JSON lines of {"body": "...", "expect": "..."}; prints one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

RECV_BYTES = 65536
SAMPLE_ERRORS = 5


@dataclass(frozen=True)
class Request:
    """A complete HTTP request on the wire and the bytes its answer must contain."""

    wire: bytes
    expect: bytes = b""


def http_request(
    *,
    host: str,
    port: int,
    path: str,
    body: bytes = b"",
    method: str = "POST",
    content_type: str = "application/json",
) -> bytes:
    """Return the bytes of one keep-alive HTTP/1.1 request."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n"
    if body or method == "POST":
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    return head.encode("latin-1") + b"\r\n" + body


class ProtocolFailure(Exception):
    """The server's answer is not an HTTP/1.1 response this client can read."""


class Connection:
    """One keep-alive connection that reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.connects = 0

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connects += 1
        self.sock = sock
        return sock

    def exchange(self, wire: bytes) -> tuple[int, bytes]:
        """Send one request and return (status, body) of its answer."""
        reused = self.sock is not None
        try:
            return self._exchange(self.sock or self._connect(), wire)
        except (ConnectionError, ProtocolFailure):
            self.close()
            if not reused:
                raise
        # The server closed an idle keep-alive connection before reading the request: once more.
        return self._exchange(self._connect(), wire)

    def _recv(self, sock: socket.socket) -> bytes:
        chunk = sock.recv(RECV_BYTES)
        if not chunk:
            raise ProtocolFailure("connection closed inside a response")
        return chunk

    def _exchange(self, sock: socket.socket, wire: bytes) -> tuple[int, bytes]:
        sock.sendall(wire)
        data = b""
        while (end := data.find(b"\r\n\r\n")) < 0:
            data += self._recv(sock)
        head, data = data[:end].lower(), data[end + 4 :]
        if not head.startswith(b"http/1."):
            raise ProtocolFailure("not an HTTP/1.x response")
        status = int(head[9:12])
        close = b"\r\nconnection: close" in head or head.startswith(b"http/1.0")
        if b"\r\ntransfer-encoding: chunked" in head:
            body = self._chunked(sock, data)
        elif (start := head.find(b"\r\ncontent-length:")) >= 0:
            stop = head.find(b"\r\n", start + 2)
            length = int(head[start + 17 : stop if stop > 0 else len(head)])
            while len(data) < length:
                data += self._recv(sock)
            body = data
        elif close:
            while chunk := sock.recv(RECV_BYTES):
                data += chunk
            body = data
        else:
            raise ProtocolFailure("neither Content-Length, chunked nor Connection: close")
        if close:
            self.close()
        return status, body

    def _chunked(self, sock: socket.socket, data: bytes) -> bytes:
        """Read a chunked body (RFC 9112 §7.1) whose first bytes are `data`."""
        parts = []
        while True:
            while (eol := data.find(b"\r\n")) < 0:
                data += self._recv(sock)
            size = int(data[:eol].split(b";")[0], 16)
            data = data[eol + 2 :]
            if size == 0:
                # The last chunk, then optional trailer fields and an empty line.
                while not data.startswith(b"\r\n") and b"\r\n\r\n" not in data:
                    data += self._recv(sock)
                return b"".join(parts)
            while len(data) < size + 2:
                data += self._recv(sock)
            parts.append(data[:size])
            data = data[size + 2 :]


@dataclass
class Result:
    """What one run measured; latencies in seconds, sorted."""

    mode: str
    concurrency: int
    duration_s: float
    rate: float | None
    latencies: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)  # transStatus of the answers that carry one
    error_samples: list[str] = field(default_factory=list)
    connects: int = 0
    exhausted: bool = False
    max_send_lag_s: float = 0.0

    @property
    def completed(self) -> int:
        """Return how many requests went out (answered or failed): each has one latency."""
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """Return the p-th percentile latency (nearest rank), in seconds."""
        if not self.latencies:
            return float("nan")
        rank = max(1, math.ceil(len(self.latencies) * p / 100))
        return self.latencies[rank - 1]

    def summary(self) -> dict[str, Any]:
        ms = 1000.0
        return {
            "mode": self.mode,
            "concurrency": self.concurrency,
            "duration_s": self.duration_s,
            "target_rate": self.rate,
            "completed": self.completed,
            "elapsed_s": round(self.elapsed_s, 3),
            "rps": round(self.completed / self.elapsed_s, 1) if self.elapsed_s else 0.0,
            "p50_ms": round(self.percentile(50) * ms, 3),
            "p95_ms": round(self.percentile(95) * ms, 3),
            "p99_ms": round(self.percentile(99) * ms, 3),
            "max_ms": round(self.latencies[-1] * ms, 3) if self.latencies else float("nan"),
            "errors": self.errors,
            "statuses": {str(code): count for code, count in sorted(self.statuses.items())},
            "outcomes": dict(sorted(self.outcomes.items())),
            "error_samples": self.error_samples,
            "connects": self.connects,
            "exhausted": self.exhausted,
            "max_send_lag_ms": round(self.max_send_lag_s * ms, 3),
        }


def run(
    host: str,
    port: int,
    requests: Sequence[Request],
    *,
    duration: float,
    concurrency: int,
    rate: float | None = None,
    cycle: bool = False,
    timeout: float = 10.0,
) -> Result:
    """Send `requests` in order for `duration` seconds, at full speed or at `rate` per second.

    Without `cycle` each request is sent at most once (AReqs must not be replayed) and the run
    ends early, flagged `exhausted`, when they run out.
    """
    if not requests:
        raise ValueError("no requests to send")
    result = Result("full" if rate is None else "rate", concurrency, duration, rate)
    counter = itertools.count()
    lock = threading.Lock()
    start = time.perf_counter() + 0.05  # every thread ready before the first request is due
    deadline = start + duration
    finished: list[float] = []

    def worker() -> None:
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        outcomes: Counter[bytes] = Counter()
        errors, samples, lag, exhausted = 0, [], 0.0, False
        conn = Connection(host, port, timeout)
        clock, total = time.perf_counter, len(requests)
        while clock() < start:
            time.sleep(start - clock())
        while True:
            # Full speed: stop before taking an index, so that every index taken is sent (the
            # measured run starts after the warm-up's last one and must not replay any).
            if rate is None and clock() >= deadline:
                break
            index = next(counter)
            if rate is None:
                due = sent = clock()
            else:
                due = start + index / rate
                if due >= deadline:
                    break
                if (wait := due - clock()) > 0:
                    time.sleep(wait)
                sent = clock()
                lag = max(lag, sent - due)
            if index >= total and not cycle:
                exhausted = True
                break
            request = requests[index % total]
            try:
                status, body = conn.exchange(request.wire)
            except (OSError, ProtocolFailure, ValueError) as exc:
                latencies.append(clock() - due)
                errors += 1
                statuses[0] += 1
                if len(samples) < SAMPLE_ERRORS:
                    samples.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                continue
            latencies.append(clock() - due)
            statuses[status] += 1
            if status != 200 or request.expect not in body:
                errors += 1
                if len(samples) < SAMPLE_ERRORS:
                    samples.append(f"{status}: {body[:300]!r}")
            elif (at := body.find(b'"transStatus":"')) >= 0:
                outcomes[body[at + 15 : at + 16]] += 1
        conn.close()
        with lock:
            finished.append(clock())
            result.latencies += latencies
            result.statuses.update(statuses)
            result.outcomes.update({key.decode(): count for key, count in outcomes.items()})
            result.errors += errors
            result.error_samples += samples[: SAMPLE_ERRORS - len(result.error_samples)]
            result.connects += conn.connects
            result.exhausted |= exhausted
            result.max_send_lag_s = max(result.max_send_lag_s, lag)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Until the last answer came back; an exhausted run stops before its deadline.
    result.elapsed_s = max(finished) - start
    result.latencies.sort()
    return result


def read_requests(path: str, *, host: str, port: int, target: str) -> list[Request]:
    """Read JSON lines of {"body", "expect"} and build each request's bytes."""
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            body = item["body"].encode()
            out.append(
                Request(http_request(host=host, port=port, path=target, body=body), item["expect"].encode())
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="http://host:port/path")
    parser.add_argument("--requests", help="JSON lines of bodies; without it, POST an empty JSON object")
    parser.add_argument("--cycle", action="store_true", help="reuse the requests when they run out")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rate", type=float, help="open-loop requests per second (default: full speed)")
    parser.add_argument("--warmup", type=float, default=0.0, help="seconds at full speed first, not measured")
    parser.add_argument("--announce", action="store_true", help='print "start" when the measured run begins')
    args = parser.parse_args(argv)

    url = urlsplit(args.url)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    if args.requests:
        requests = read_requests(args.requests, host=host, port=port, target=url.path)
    else:
        requests = [Request(http_request(host=host, port=port, path=url.path, body=b"{}"))]
    warmup_errors = 0
    if args.warmup > 0:
        # Not measured: lets every worker open its database connection and fill its caches.
        warm = run(host, port, requests, duration=args.warmup, concurrency=args.concurrency, cycle=args.cycle)
        warmup_errors = warm.errors  # not timed, but a wrong answer is wrong all the same
        if not args.cycle:
            requests = requests[warm.completed :]  # the measured run never replays a warm-up request
    if args.announce:
        print("start", flush=True)
    result = run(
        host,
        port,
        requests,
        duration=args.duration,
        concurrency=args.concurrency,
        rate=args.rate,
        cycle=args.cycle,
    )
    json.dump({**result.summary(), "warmup_errors": warmup_errors}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
