from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def top(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/top.html")
