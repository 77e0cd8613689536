"""A local Directory Server for tests: receives RReqs (and Erros) over real HTTP and answers like a DS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Invalid RRes the DS can be told to answer with (mode), and the EMV code each deserves.
INVALID_REPLIES = {
    "wrong_version": "203",  # an RRes whose messageVersion is not the RReq's
    "no_results_status": "201",  # an RRes without its required resultsStatus
    "garbage": "101",  # not JSON at all
}


@dataclass
class FakeDS:
    # "rres", "erro", one of INVALID_REPLIES, or "bad_gateway" (a proxy's 502); `delay` makes any slow
    mode: str = "rres"
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)  # the RReqs
    errors: list[dict[str, Any]] = field(default_factory=list)  # the Erros the ACS sent
    processed: set[str] = field(default_factory=set)
    url: str = ""

    def reply(self, rreq: dict[str, Any]) -> bytes:
        if self.mode in ("garbage", "bad_gateway"):
            return b"<html>not a message</html>"
        message = self.answer(rreq)
        if self.mode == "wrong_version":
            message["messageVersion"] = "2.1.0" if rreq.get("messageVersion") != "2.1.0" else "2.2.0"
        elif self.mode == "no_results_status":
            message.pop("resultsStatus", None)
        return json.dumps(message).encode()

    def answer(self, rreq: dict[str, Any]) -> dict[str, Any]:
        ids: dict[str, Any] = {
            k: rreq[k] for k in ("threeDSServerTransID", "acsTransID", "dsTransID") if k in rreq
        }
        base: dict[str, Any] = {"messageVersion": rreq.get("messageVersion", "2.2.0"), **ids}
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
            message = json.loads(body)
            if message.get("messageType") == "Erro":
                # A DS takes an Erro with an empty 200, and answers it with nothing.
                ds.errors.append(message)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            ds.received.append(message)
            if ds.delay:
                time.sleep(ds.delay)
            payload = ds.reply(message)
            self.send_response(502 if ds.mode == "bad_gateway" else 200)
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
