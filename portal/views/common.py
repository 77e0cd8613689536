"""Cross-cutting pieces of the My Net+ views: member access and per-IP rate limits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_ratelimit.decorators import ratelimit

from portal.models import Member

View = Callable[..., HttpResponse]


def member_required(view: View) -> View:
    """A logged-in member whose card is usable and whose password is not a temporary one."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member: Member = request.user  # type: ignore[assignment]
        if not member.card_usable or member.is_locked:
            logout(request)
            return redirect("portal:login")
        if member.must_change_password:
            return redirect("portal:password-forced")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def limited(setting: str) -> Callable[[View], View]:
    """Count POSTs per client IP against the rate in `settings.<setting>`; sets request.limited."""

    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, setting))

    return ratelimit(key="ip", rate=rate, method="POST", block=False)


def is_limited(request: HttpRequest) -> bool:
    return bool(getattr(request, "limited", False))
