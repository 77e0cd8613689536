"""Production starts refuse to run without their secrets, and say which one is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# Every secret and service a production start needs, save the mail server.
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "acs.example.jp",
    "FIELD_ENCRYPTION_KEYS": "k1:" + "A" * 43 + "=",
    "PAN_FINGERPRINT_KEY": "A" * 43 + "=",
    "AUTHENTICATION_VALUE_KEYS": "1:" + "A" * 43 + "=",
    "RISK_PSEUDONYM_KEY": "A" * 43 + "=",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"APP_ENV", "SECRET_KEY", "DATABASE_URL"} and not k.startswith("EMAIL_")
    }
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


def test_it_refuses_production_without_a_mail_server() -> None:
    # The console fallback would print temporary passwords into the logs.
    result = _check(PRODUCTION)
    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr


def test_it_refuses_the_console_mail_backend_in_production() -> None:
    result = _check({**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr


@pytest.mark.parametrize(
    "mail",
    [{"EMAIL_HOST": "smtp.example.jp"}, {"EMAIL_BACKEND": "anymail.backends.amazon_ses.EmailBackend"}],
)
def test_it_starts_in_production_with_a_mail_server(mail: dict[str, str]) -> None:
    result = _check({**PRODUCTION, **mail})
    assert result.returncode == 0, result.stderr
