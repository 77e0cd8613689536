from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def support(request: HttpRequest) -> dict[str, str]:
    """The support desk's number, shown wherever a member is told to call us."""
    return {"SUPPORT_PHONE": settings.SUPPORT_PHONE}
