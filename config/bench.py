"""A trivial JSON view for the benchmark's bare ceiling (mounted only when BENCH_ENDPOINTS=1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    body = b'{"ok":true}'
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Length"] = str(len(body))  # as the AReq endpoint does: same wire work on both sides
    return response
