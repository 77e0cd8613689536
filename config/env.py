"""Small typed helpers that read settings from the environment.

Every knob of the product comes from an environment variable through one of these, so that
`.env.example` and the README's table can list them all. A secret may also come from a file
named by `<NAME>_FILE` (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envsecret(name: str, *, required: bool, local: dict[str, str] | None = None) -> str:
    """Read a secret from `NAME`, or from the file named by `NAME_FILE`.

    When it is missing: take it from the local secrets (development runs), or fail with a message
    that names the variable, so that a production start never runs on a guessed key.
    """
    value = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if not value and path:
        value = Path(path).read_text(encoding="utf-8").strip()
    if value:
        return value
    if local is not None and name in local:
        return local[name]
    if required:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it (or {name}_FILE) in the environment; see README.md, 'Configuration'."
        )
    return ""
