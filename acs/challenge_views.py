"""The challenge URL (`POST /acs/challenge`) and its pages' form target: parse, call, render."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_POST

from acs import presentation, protocol
from acs.challenge_flow import Screen, creq_receive, step_receive
from acs.challenge_tokens import step_token
from acs.framing import framable
from acs.otp import resend_state
from acs.protocol.challenge import WINDOW_SIZES
from portal.masking import mask_phone


@framable
@require_POST
def challenge(request: HttpRequest) -> HttpResponse:
    creq = request.POST.get("creq", "")
    session_data = request.POST.get("threeDSSessionData", "")
    screen = creq_receive(creq=creq, session_data=session_data, accept_language=_accept_language(request))
    return _render(request, screen)


@framable
@require_POST
def step(request: HttpRequest) -> HttpResponse:
    fields = {name: request.POST.get(name, "")[:128] for name in ("code", "username", "password")}
    screen = step_receive(
        token=request.POST.get("token", ""),
        action=request.POST.get("action", ""),
        fields=fields,
        accept_language=_accept_language(request),
    )
    return _render(request, screen)


def _accept_language(request: HttpRequest) -> str:
    return request.headers.get("Accept-Language", "")


def _language(screen: Screen, request: HttpRequest) -> str:
    browser_language = screen.txn.browser_language if screen.txn is not None else ""
    return presentation.language_for(browser_language, _accept_language(request))


def _render(request: HttpRequest, screen: Screen) -> HttpResponse:
    with translation.override(_language(screen, request)):
        if screen.kind == "to_merchant" and screen.txn is not None:
            return render(
                request,
                "acs/to_merchant.html",
                {
                    "action": screen.txn.notification_url,
                    "cres": protocol.encode_message(screen.message),
                    "session_data": screen.txn.three_ds_session_data
                    if screen.session_data is None
                    else screen.session_data,
                },
            )
        if screen.kind == "page" and screen.txn is not None:
            return render(request, "acs/challenge.html", _page_context(screen))
        return render(request, "acs/problem.html", {"code": screen.error}, status=400)


def _page_context(screen: Screen) -> dict[str, object]:
    txn = screen.txn
    assert txn is not None and txn.card is not None
    account = txn.card.account
    enrolment = account.enrolment
    wait, resends_left = resend_state(txn)
    return {
        "txn": txn,
        "programme": presentation.programme_name(txn.brand),
        "amount": presentation.format_amount(
            txn.purchase_amount, txn.purchase_currency, txn.purchase_exponent
        ),
        "date": presentation.japan_time(txn.purchase_date or txn.created_at),
        "masked_card": txn.card.masked_pan,
        "personal_message": enrolment.personal_message,
        "method": enrolment.method,
        "masked_phone": mask_phone(enrolment.mobile),
        "tries_left": max(settings.OTP_MAX_ATTEMPTS - txn.interaction_counter, 0),
        "resend_wait": wait,
        "resends_left": resends_left,
        "error": screen.error,
        "notice": screen.notice,
        "username": screen.username,
        "token": step_token(txn.acs_trans_id, txn.challenge_step),
        # One CSS class per EMV window size; 05 (full screen) when the size is unknown.
        "window_class": f"w{size}" if (size := txn.challenge_window_size) in WINDOW_SIZES else "w05",
        "otp_minutes": max(settings.OTP_VALIDITY_SECONDS // 60, 1),
    }
