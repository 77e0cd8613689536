"""A dump of the whole database holds no PAN, phone number or personal message in clear."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAR_VALUES = [
    "4111111111111111",
    "3566002020360505",
    "4012888888881881",
    "3530111333300000",
    "+819000000001",
    "819000000002",
    "さくら満開",
    "富士山と青い空",
    "いつもの猫",
]
PG = "postgres://postgres@127.0.0.1:5432"


def _seed(database_url: str) -> None:
    env = {**os.environ, "APP_ENV": "local", "DATABASE_URL": database_url}
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
            capture_output=True,
        )


def _assert_clean(dump: bytes) -> None:
    for value in CLEAR_VALUES:
        assert value.encode() not in dump, value[:4]


def test_it_keeps_the_sqlite_file_free_of_clear_card_data(tmp_path: Path) -> None:
    database = tmp_path / "dump.sqlite3"
    _seed(f"sqlite:///{database}")
    dump = database.read_bytes()
    assert b"portal_card" in dump
    _assert_clean(dump)


def test_it_keeps_a_pg_dump_free_of_clear_card_data() -> None:
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    name = f"dump_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=2)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            _seed(f"{PG}/{name}")
            dump = subprocess.run(
                ["pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--data-only", name],
                check=True,
                capture_output=True,
                timeout=120,
            ).stdout
            assert b"portal_card" in dump
            _assert_clean(dump)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
