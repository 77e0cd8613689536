"""The load generator against a tiny local HTTP server: no gunicorn, no PostgreSQL, about a second."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import loadgen  # bench/ holds scripts, not a package: a namespace import


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread worker answers
    disable_nagle_algorithm = True  # as gunicorn: else each answer waits for a delayed ACK

    received: list[bytes] = []  # every body, in the order they came

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append(body)
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b'4\r\n{"ok\r\n7\r\n":true}\r\n0\r\n\r\n')
            return
        answer = b'{"ok":true}' if body.startswith(b"{") else b'{"messageType":"Erro"}'
        if self.path == "/areq":
            answer = b'{"messageType":"ARes","transStatus":"%s"}' % (b"C" if b"04" in body else b"Y")
        self.send_response(500 if self.path == "/fails" else 200)
        self.send_header("Content-Length", str(len(answer)))
        if self.path == "/close":
            self.send_header("Connection", "close")  # as gunicorn's sync worker answers
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield "127.0.0.1", httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def requests(host: str, port: int, path: str, bodies: list[bytes]) -> list:
    return [
        loadgen.Request(loadgen.http_request(host=host, port=port, path=path, body=body), b'"ok":true')
        for body in bodies
    ]


def test_it_measures_full_speed_over_keep_alive_connections(server: tuple[str, int]) -> None:
    host, port = server
    result = loadgen.run(
        host, port, requests(host, port, "/ok", [b"{}"]), duration=0.4, concurrency=4, cycle=True
    )
    stats = result.summary()

    assert stats["completed"] > 0
    assert stats["errors"] == 0
    assert stats["statuses"] == {"200": stats["completed"]}
    assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
    assert stats["rps"] > 0
    assert stats["connects"] == 4  # one connection per thread, kept alive


def test_it_holds_a_fixed_rate_and_sends_each_request_once(server: tuple[str, int]) -> None:
    host, port = server
    result = loadgen.run(
        host, port, requests(host, port, "/ok", [b"{}"] * 1000), duration=0.4, concurrency=4, rate=200
    )
    stats = result.summary()

    assert stats["completed"] == 80  # due in 0.4 s at 200/s: sent even when late (open loop)
    assert stats["errors"] == 0
    assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
    assert not stats["exhausted"]


def test_it_counts_wrong_answers_as_errors(server: tuple[str, int]) -> None:
    host, port = server
    wrong = requests(host, port, "/ok", [b"not json"]) + requests(host, port, "/fails", [b"{}"])
    result = loadgen.run(host, port, wrong, duration=0.2, concurrency=1)
    stats = result.summary()

    assert stats["completed"] == 2
    assert stats["errors"] == 2
    assert stats["statuses"] == {"200": 1, "500": 1}
    assert stats["exhausted"]


def test_it_reads_chunked_answers(server: tuple[str, int]) -> None:
    host, port = server
    result = loadgen.run(
        host, port, requests(host, port, "/chunked", [b"{}"]), duration=0.2, concurrency=2, cycle=True
    )

    assert result.completed > 0
    assert result.errors == 0


def test_it_reconnects_when_the_server_closes_after_each_answer(server: tuple[str, int]) -> None:
    host, port = server
    result = loadgen.run(
        host, port, requests(host, port, "/close", [b"{}"]), duration=0.2, concurrency=2, cycle=True
    )

    assert result.completed > 0
    assert result.errors == 0
    assert result.connects == result.completed


def test_it_counts_the_trans_status_of_each_ares(server: tuple[str, int]) -> None:
    host, port = server
    bodies = [b'{"threeDSRequestorChallengeInd":"04"}'] + [b"{}"] * 9
    areqs = [
        loadgen.Request(
            loadgen.http_request(host=host, port=port, path="/areq", body=body), b'"messageType":"ARes"'
        )
        for body in bodies
    ]
    result = loadgen.run(host, port, areqs, duration=0.5, concurrency=2)

    assert result.errors == 0
    assert result.summary()["outcomes"] == {"C": 1, "Y": 9}


def test_the_measured_run_never_replays_a_warm_up_request(
    server: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host, port = server
    bodies = tmp_path / "bodies.jsonl"
    bodies.write_text(
        "".join(json.dumps({"body": f'{{"n":{n}}}', "expect": '"ok":true'}) + "\n" for n in range(50_000))
    )
    Handler.received.clear()
    url = f"http://{host}:{port}/ok"
    argv = [
        "--url",
        url,
        "--requests",
        str(bodies),
        "--warmup",
        "0.2",
        "--duration",
        "0.3",
        "--concurrency",
        "4",
    ]

    assert loadgen.main(argv) == 0

    summary = json.loads(capsys.readouterr().out)
    assert summary["completed"] > 0 and summary["warmup_errors"] == 0
    assert len(Handler.received) > summary["completed"]  # the warm-up sent some too
    assert len(set(Handler.received)) == len(Handler.received)  # none of them twice
