"""With PostgreSQL unreachable, the AReq endpoint still answers a JSON Erro, fast."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from .conftest import make_areq

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_answers_403_erro_within_a_second_when_postgresql_is_down(tmp_path: Path) -> None:
    dead_db = _free_port()  # nothing listens there: connections are refused at once
    port = _free_port()
    env = {
        **os.environ,
        "APP_ENV": "local",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{dead_db}/acs",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/acs/areq"
        health = None
        for _ in range(150):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert health is not None and health.status_code == 503
        started = time.monotonic()
        response = requests.post(
            url, data=json.dumps(make_areq()), timeout=5, headers={"Content-Type": "application/json"}
        )
        elapsed = time.monotonic() - started
        assert elapsed < 1.0
        assert response.headers["Content-Type"].startswith("application/json")
        erro = response.json()
        assert erro["messageType"] == "Erro"
        assert erro["errorCode"] == "403"
    finally:
        server.terminate()
        server.wait(timeout=10)
