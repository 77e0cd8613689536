"""Cross-cutting pieces of the My Net+ views: member access and per-IP rate limits."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from portal.models import Member

View = Callable[..., HttpResponse]


def cardholder_required(view: View) -> View:
    """A logged-in account with a card: a support-staff session gets a 403 page, not a member page.

    Locked members and members whose card is no longer usable are not logged in at all: the
    authentication backend (portal.backends) refuses them on every request.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member: Member = request.user  # type: ignore[assignment]
        if member.card_id is None:
            return render(request, "portal/members_only.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def member_required(view: View) -> View:
    """A logged-in cardholder whose password is not a temporary one."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member: Member = request.user  # type: ignore[assignment]
        if member.must_change_password:
            return redirect("portal:password-forced")
        return view(request, *args, **kwargs)

    return cardholder_required(wrapper)


def errors_attach(form: forms.Form, error: ValidationError, field: str) -> None:
    """Show a service's ValidationError on the form: under each field it names that the form
    has, the rest above the form; an error that names no field goes under `field`."""
    mapping = error.message_dict if hasattr(error, "error_dict") else {field: error.messages}
    for name, problems in mapping.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


def limited(setting: str) -> Callable[[View], View]:
    """Count POSTs per client IP against the rate in `settings.<setting>`; sets request.limited."""

    def rate(group: str, request: HttpRequest) -> str:
        return str(getattr(settings, setting))

    return ratelimit(key="ip", rate=rate, method="POST", block=False)


def refuse_over_rate(request: HttpRequest, form: forms.Form) -> None:
    """Refuse a POST whose client IP is over its rate (see `limited`): the form will not validate."""
    if request.method == "POST" and getattr(request, "limited", False):
        form.add_error(None, _("Too many attempts from your network. Please wait a minute and try again."))
