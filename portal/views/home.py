"""The member's home page and "this wasn't me"."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal import hooks
from portal.masking import mask_phone
from portal.models import FraudReport, Member, ThreeDSEnrolment
from portal.services.fraud import fraud_report, fraud_report_subject
from portal.views.common import member_required


def top(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "card_id", None):
        return redirect("portal:home")
    return render(request, "portal/top.html")


@member_required
def home(request: HttpRequest) -> HttpResponse:
    member: Member = request.user  # type: ignore[assignment]
    assert member.card is not None  # member_required: an account without a card gets a 403 page
    enrolment = ThreeDSEnrolment.objects.filter(member=member).first()
    reported = set(FraudReport.objects.filter(member=member).values_list("acs_trans_id", flat=True))
    return render(
        request,
        "portal/home.html",
        {
            "card": member.card,
            "enrolment": enrolment,
            "masked_phone": mask_phone(enrolment.mobile) if enrolment else "",
            "history": hooks.authentication_history(member.card, 10),
            "reported": reported,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, acs_trans_id: uuid.UUID) -> HttpResponse:
    """GET shows the payment and what a report does; only the POST from that page files it, so
    that one stray tap on the home page (on a phone, say) reports nothing."""
    member: Member = request.user  # type: ignore[assignment]
    if (
        request.method == "GET"
        and FraudReport.objects.filter(member=member, acs_trans_id=acs_trans_id).exists()
    ):
        return redirect("portal:home")  # its row there says "Reported"
    try:
        if request.method == "POST":
            fraud_report(member=member, acs_trans_id=acs_trans_id)
            return render(request, "portal/fraud_reported.html")
        payment = fraud_report_subject(member=member, acs_trans_id=acs_trans_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:home")
    return render(request, "portal/fraud_report_confirm.html", {"payment": payment})
