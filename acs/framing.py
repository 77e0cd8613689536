"""Headers of the pages that run inside merchants' iframes (3DS Method and challenge)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

log = logging.getLogger(__name__)

# Any merchant may frame these pages; nothing else is loaded from anywhere but the ACS, and the
# final form posts to the merchant's notificationURL, which can be any origin.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action *; frame-ancestors *; base-uri 'none'"
)


def framable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Allow framing by any origin; need no cookie (state travels in signed fields instead of CSRF)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            # Inside the merchant's iframe Django's own error page would be refused (framing
            # denied) and show the browser's error; say so in our page instead.
            log.exception("challenge page failed")
            response = render(request, "acs/problem.html", {"code": "error"}, status=500)
        response["Content-Security-Policy"] = CSP
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return csrf_exempt(xframe_options_exempt(wrapper))
