"""The WebOTP origin-bound line that ends every SMS carrying a code: `@host #123456`.

Phones offer the code to this site only (and autofill `autocomplete="one-time-code"`), which
also makes a code lifted by a look-alike site useless to it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def origin_host(base_url: str) -> str:
    """The host name of the site's base URL, without scheme or port."""
    return urlsplit(base_url if "//" in base_url else f"//{base_url}").hostname or ""


def with_origin_line(text: str, code: str) -> str:
    return f"{text}\n\n@{origin_host(settings.ACS_BASE_URL)} #{code}"
