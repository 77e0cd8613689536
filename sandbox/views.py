"""The sandbox pages: merchant checkout, 3DS Server steps, DS endpoint, phone inbox and mailbox.

Demo only (SANDBOX_ENABLED). Every URL the sandbox hands to the ACS is built from the host the
merchant page was opened on, and the ACS is found through settings.ACS_BASE_URL, so opening
the merchant on another host name than the ACS runs the challenge in a cross-site iframe.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox import ds, selectors, services
from sandbox.areq import BrowserInfo, Endpoints, accept_languages
from sandbox.forms import CheckoutForm
from sandbox.models import DemoPurchase, SandboxMail

CHECKOUT_SESSION_KEY = "sandbox.checkout"
# The 3DS Server waits this long for the method notification: 10 s, 5 s in 2.3.1 (reference §4).
METHOD_WAIT_MS = {"2.1.0": 10_000, "2.2.0": 10_000, "2.3.1": 5_000}
JSON_CONTENT = "application/json; charset=utf-8"


def _absolute(request: HttpRequest, name: str, *args: object) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _other_site_hint(request: HttpRequest) -> dict[str, str]:
    """Tell the tester whether the merchant and the ACS run on different sites, and how to get there."""
    acs = urlsplit(settings.ACS_BASE_URL)
    merchant_host = request.get_host().rsplit(":", 1)[0]
    swap = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
    other = swap.get(acs.hostname or "", "")
    port = f":{acs.port}" if acs.port else ""
    return {
        "acs_base_url": settings.ACS_BASE_URL,
        "same_site": "yes" if merchant_host == acs.hostname else "",
        "other_url": f"{acs.scheme}://{other}{port}{reverse('sandbox:index')}" if other else "",
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = CheckoutForm(initial=request.session.get(CHECKOUT_SESSION_KEY, {}))
    return render(
        request,
        "sandbox/index.html",
        {
            "form": form,
            "recent": DemoPurchase.objects.all()[:8],
            **_other_site_hint(request),
        },
    )


def _browser_from(request: HttpRequest, form: CheckoutForm) -> BrowserInfo:
    data = form.cleaned_data
    return BrowserInfo(
        accept_header=request.META.get("HTTP_ACCEPT", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=request.META.get("REMOTE_ADDR", ""),
        javascript_enabled=bool(data["js_enabled"]),
        language=data["js_language"] or "",
        color_depth=data["color_depth"],
        screen_width=data["screen_width"],
        screen_height=data["screen_height"],
        tz_offset=data["tz_offset"],
        accept_language=accept_languages(request.META.get("HTTP_ACCEPT_LANGUAGE", "")),
    )


@require_POST
def pay(request: HttpRequest) -> HttpResponse:
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "recent": DemoPurchase.objects.all()[:8], **_other_site_hint(request)}
        return render(request, "sandbox/index.html", context, status=400)
    data = form.cleaned_data
    choices = (
        "card",
        "amount",
        "merchant_name",
        "challenge_ind",
        "message_version",
        "window_size",
        "browser_language",
        "run_method",
    )
    request.session[CHECKOUT_SESSION_KEY] = {name: data[name] for name in choices}
    purchase = services.purchase_create(
        card_key=data["card"],
        amount=data["amount"],
        merchant_name=data["merchant_name"],
        challenge_ind=data["challenge_ind"],
        message_version=data["message_version"],
        window_size=data["window_size"],
        browser_language=data["browser_language"] or "",
        run_method=data["run_method"],
        browser=_browser_from(request, form),
    )
    return redirect("sandbox:authenticate", purchase.pk)


@require_GET
@never_cache
def authenticate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Run the 3DS Method in a hidden iframe, then post to the AReq step."""
    purchase = get_object_or_404(DemoPurchase, pk=pk)
    if purchase.status != DemoPurchase.Status.CREATED:
        return redirect(_next_step(purchase))
    notification_url = _absolute(request, "sandbox:method-done", purchase.pk)
    return render(
        request,
        "sandbox/authenticate.html",
        {
            "purchase": purchase,
            "method_url": f"{settings.ACS_BASE_URL}/acs/method",
            "method_data": services.method_data_for(purchase, notification_url=notification_url),
            "wait_ms": METHOD_WAIT_MS.get(purchase.message_version, 10_000),
        },
    )


@csrf_exempt  # posted by the ACS's method page, a cross-site form
@xframe_options_sameorigin  # it runs in the checkout's hidden iframe
@require_POST
def method_done(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    purchase = services.method_done(purchase_id=pk, method_data=request.POST.get("threeDSMethodData", ""))
    return render(request, "sandbox/method_done.html", {"purchase_id": pk, "ok": purchase is not None})


@require_GET
@never_cache
def status(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    purchase = get_object_or_404(DemoPurchase, pk=pk)
    return JsonResponse({"status": purchase.status, "methodDone": purchase.method_done_at is not None})


def _endpoints(request: HttpRequest, purchase: DemoPurchase) -> Endpoints:
    return Endpoints(
        ds_url=_absolute(request, "sandbox:ds-rreq"),
        notification_url=_absolute(request, "sandbox:cres", purchase.pk),
        requestor_url=_absolute(request, "sandbox:index"),
        server_url=_absolute(request, "sandbox:index"),
    )


def _method_ms(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 7 else None


@require_POST
def areq(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    purchase = get_object_or_404(DemoPurchase, pk=pk)
    comp_ind = request.POST.get("comp_ind", "U")
    if comp_ind not in ("Y", "N", "U"):
        return HttpResponseBadRequest("comp_ind must be Y, N or U")
    answered = services.purchase_authenticate(
        purchase_id=purchase.pk,
        comp_ind=comp_ind,
        method_ms=_method_ms(request.POST.get("method_ms", "")),
        endpoints=_endpoints(request, purchase),
    )
    return redirect(_next_step(answered))


def _next_step(purchase: DemoPurchase) -> str:
    if purchase.status == DemoPurchase.Status.CREATED:
        return reverse("sandbox:authenticate", args=[purchase.pk])
    if purchase.status == DemoPurchase.Status.CHALLENGE:
        if purchase.window_size == DemoPurchase.WindowSize.FULL_PAGE:
            return reverse("sandbox:creq", args=[purchase.pk])
        return reverse("sandbox:challenge", args=[purchase.pk])
    return reverse("sandbox:purchase", args=[purchase.pk])


@require_GET
@never_cache
def challenge(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The merchant page that frames the ACS challenge at the chosen window size."""
    purchase = get_object_or_404(DemoPurchase, pk=pk)
    if purchase.status != DemoPurchase.Status.CHALLENGE:
        return redirect("sandbox:purchase", purchase.pk)
    return render(request, "sandbox/challenge.html", {"purchase": purchase})


@require_GET
@never_cache
@xframe_options_sameorigin  # the challenge page frames it
def creq(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """An auto-submitting form that posts the CReq to the ACS (in the frame, or full page)."""
    start = services.challenge_creq(purchase_id=pk)
    if start is None:
        get_object_or_404(DemoPurchase, pk=pk)
        return render(
            request, "sandbox/breakout.html", {"result_url": reverse("sandbox:purchase", args=[pk])}
        )
    return render(request, "sandbox/creq.html", {"start": start})


@csrf_exempt  # the ACS's page posts the final CRes here from the shopper's browser
@xframe_options_sameorigin  # it arrives inside the challenge iframe
@never_cache
def cres(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The notificationURL: record the final CRes (or Erro) and leave the iframe for the result."""
    if request.method != "POST":
        return redirect("sandbox:purchase", pk)
    purchase = services.challenge_result(
        purchase_id=pk,
        cres=request.POST.get("cres", ""),
        session_data=request.POST.get("threeDSSessionData", ""),
    )
    if purchase is None:
        raise Http404("no such purchase")
    return render(request, "sandbox/breakout.html", {"result_url": reverse("sandbox:purchase", args=[pk])})


@csrf_exempt  # called by the ACS server to server, with JSON
@require_POST
def ds_rreq(request: HttpRequest) -> HttpResponse:
    """The sandbox DS's results endpoint: RReq in, RRes (or Erro) out."""
    reply = ds.rreq_receive(request.body)
    response = HttpResponse(json.dumps(reply, ensure_ascii=False), content_type=JSON_CONTENT)
    if reply.get("messageType") == "RRes" and reply.get("messageVersion") == "2.3.1":
        response["X-Response-ID"] = reply["dsTransID"]  # [Req 469]: the responder's own ID
    return response


@require_GET
def purchase_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    purchase = get_object_or_404(DemoPurchase, pk=pk)
    return render(
        request,
        "sandbox/result.html",
        {
            "purchase": purchase,
            "summary": selectors.summary_of(purchase),
            "timings": selectors.timings_of(purchase),
            "messages_shown": selectors.messages_of(purchase),
            "refresh": purchase.challenged and purchase.rreq is None,
        },
    )


@require_GET
def phone(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("to", "").strip()[:20]
    context = {"messages_list": selectors.sms_list(number=number), "number": number}
    template = "sandbox/_sms_list.html" if request.GET.get("fragment") else "sandbox/phone.html"
    return render(request, template, context)


@require_GET
def mailbox(request: HttpRequest) -> HttpResponse:
    return render(request, "sandbox/mail_list.html", {"mails": SandboxMail.objects.all()[:100]})


@require_GET
def mail_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "sandbox/mail_detail.html", {"mail": get_object_or_404(SandboxMail, pk=pk)})
