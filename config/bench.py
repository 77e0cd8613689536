"""A trivial JSON view for the benchmark's bare ceiling (mounted only when BENCH_ENDPOINTS=1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b'{"ok":true}', content_type="application/json; charset=utf-8")
    response["Content-Length"] = "11"  # as the AReq endpoint does: same wire work on both sides
    return response
