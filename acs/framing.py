"""Headers of the pages that run inside merchants' iframes (3DS Method and challenge)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

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
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CSP
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return csrf_exempt(xframe_options_exempt(wrapper))
