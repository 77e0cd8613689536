"""Measure the AReq path inside this process: database work per AReq, serial time, a profile.

Each AReq goes through `config.wsgi.application`, the handler gunicorn serves (the lean one,
without middleware), with a WSGI environ built here: no socket, no other process, so the
figures are the application's own. Call only after `django.setup()` on the scratch database.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import cpu
from areqs import Body

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Any]


def _application() -> WSGIApp:
    from config.wsgi import application

    return application  # type: ignore[no-any-return]


def post(application: WSGIApp, path: str, body: bytes) -> tuple[str, bytes]:
    """POST `body` to `application` and return (status line, response body)."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }
    status: list[str] = []

    def start_response(line: str, headers: Any, exc_info: Any = None) -> None:
        status.append(line)

    chunks = application(environ, start_response)
    try:
        return status[0], b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()


def _send_all(application: WSGIApp, bodies: Sequence[Body]) -> None:
    for body in bodies:
        status, answer = post(application, "/acs/areq", body.data)
        if not status.startswith("200") or body.expect not in answer:
            raise RuntimeError(f"in-process AReq failed: {status} {answer[:300]!r}")


@dataclass(frozen=True)
class DatabaseWork:
    queries: float  # what Django runs, as CaptureQueriesContext sees it (BEGIN and COMMIT included)
    round_trips: float | None  # statements on the wire (a health check of Django's would be one)
    statements: list[str]  # the statements of one AReq, shortened
    serial_ms: float  # one AReq after another in this process, no HTTP: wall-clock time
    app_cpu_ms: float  # ... CPU time of this process (Python, Django, the driver)
    db_cpu_ms: float | None  # ... CPU time of its PostgreSQL backend


def database_work(bodies: Sequence[Body]) -> DatabaseWork:
    """Post `bodies` in-process (a warm-up, then three equal parts) and measure each AReq.

    The parts are counted by Django, counted on the wire, and timed, so that neither counting
    method slows the timed part.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = _application()
    warmup, part = 20, (len(bodies) - 20) // 3
    counted, traced, timed = (bodies[warmup + i * part : warmup + (i + 1) * part] for i in range(3))
    _send_all(application, bodies[:warmup])
    with CaptureQueriesContext(connection) as captured:
        _send_all(application, counted)
    # Read the log now: the next request outside the context resets it.
    queries = captured.captured_queries
    statements = [
        (query["sql"] or "(prepared statement)")[:70] for query in queries[: len(queries) // len(counted)]
    ]
    round_trips = _wire_statements(application, traced)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    before = cpu.sample({"db": [backend]})
    started, started_cpu = time.perf_counter(), time.process_time()
    _send_all(application, timed)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    after = cpu.sample({"db": [backend]})
    db_ms = None if before is None or after is None else (after.parts["db"] - before.parts["db"]) / cpu.TICKS
    return DatabaseWork(
        queries=len(queries) / len(counted),
        round_trips=round_trips,
        statements=statements,
        serial_ms=elapsed / len(timed) * 1000,
        app_cpu_ms=elapsed_cpu / len(timed) * 1000,
        db_cpu_ms=None if db_ms is None else db_ms / len(timed) * 1000,
    )


def _wire_statements(application: WSGIApp, bodies: Sequence[Body]) -> float | None:
    """Count the statements libpq sends (simple-protocol Query or extended-protocol Sync)."""
    from django.db import connection

    connection.ensure_connection()
    pgconn = getattr(connection.connection, "pgconn", None)
    if pgconn is None:
        return None
    with tempfile.TemporaryFile("w+") as trace:
        try:
            pgconn.trace(trace.fileno())
        except Exception:  # libpq without tracing: report what Django saw only
            return None
        try:
            _send_all(application, bodies)
        finally:
            pgconn.untrace()
        trace.flush()
        os.fsync(trace.fileno())
        trace.seek(0)
        sent = sum(
            1 for line in trace if "\tF\t" in line and ("\tQuery\t" in line or line.rstrip().endswith("Sync"))
        )
    return sent / len(bodies)


def profile(bodies: Sequence[Body], *, top: int = 25) -> str:
    """Profile in-process AReqs with cProfile; return the top functions by own and total time."""
    application = _application()
    _send_all(application, bodies[:20])
    profiler = cProfile.Profile()
    profiler.enable()
    _send_all(application, bodies[20:])
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()
