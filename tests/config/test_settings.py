"""Production starts refuse to run without their secrets, and say which one is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"APP_ENV", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_names_the_missing_secret_in_production() -> None:
    result = _check({"APP_ENV": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_names_missing_key_material_in_production() -> None:
    result = _check({"APP_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "acs.example.jp"})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr
