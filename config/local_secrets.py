"""Key material for local runs, generated once into a git-ignored file.

Production never reaches this module: there every secret must come from the environment
(see `config.env.envsecret`). Locally, a fresh clone must just run, yet nothing secret may live
in the repository, so the first start writes random keys to `.local/secrets.json`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from pathlib import Path


def _key(nbytes: int = 32) -> str:
    return base64.b64encode(secrets.token_bytes(nbytes)).decode()


def _fresh() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": f"k1:{_key()}",
        "PAN_FINGERPRINT_KEY": _key(),
        "AUTHENTICATION_VALUE_KEYS": f"1:{_key()}",
        "RISK_PSEUDONYM_KEY": _key(),
    }


def load_or_create(path: Path) -> dict[str, str]:
    """Return the local secrets, creating the file on first use (atomically, mode 0600)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes starting at once (gunicorn workers, test workers) must not
            # each write different keys; the loser reads the winner's file.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(_fresh(), handle, indent=2)
    for _ in range(50):
        text = path.read_text(encoding="utf-8")
        if text.strip():
            data: dict[str, str] = json.loads(text)
            # Keys added by later versions of the product are generated on demand.
            missing = {k: v for k, v in _fresh().items() if k not in data}
            if missing:
                data.update(missing)
                path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            return data
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty")
