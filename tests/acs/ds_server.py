"""A local Directory Server for tests: receives RReqs over real HTTP and answers like a DS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeDS:
    mode: str = "rres"  # "rres" or "erro"; `delay` makes either slow
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    processed: set[str] = field(default_factory=set)
    url: str = ""

    def answer(self, rreq: dict[str, Any]) -> dict[str, Any]:
        ids = {k: rreq[k] for k in ("threeDSServerTransID", "acsTransID", "dsTransID") if k in rreq}
        base = {"messageVersion": rreq.get("messageVersion", "2.2.0"), **ids}
        if self.mode == "erro":
            return {
                **base,
                "messageType": "Erro",
                "errorCode": "203",
                "errorComponent": "D",
                "errorDescription": "Invalid",
                "errorDetail": "transStatusReason",
                "errorMessageType": "RReq",
            }
        if rreq.get("acsTransID") in self.processed:
            return {
                **base,
                "messageType": "Erro",
                "errorCode": "312",
                "errorComponent": "D",
                "errorDescription": "Duplicate Message",
                "errorDetail": "acsTransID",
                "errorMessageType": "RReq",
            }
        self.processed.add(rreq.get("acsTransID", ""))
        return {**base, "messageType": "RRes", "resultsStatus": "01"}


@contextmanager
def running_ds(mode: str = "rres", delay: float = 0.0) -> Iterator[FakeDS]:
    ds = FakeDS(mode=mode, delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            rreq = json.loads(body)
            ds.received.append(rreq)
            if ds.delay:
                time.sleep(ds.delay)
            payload = json.dumps(ds.answer(rreq)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ds.url = f"http://127.0.0.1:{server.server_address[1]}/rreq"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ds
    finally:
        server.shutdown()
        server.server_close()
