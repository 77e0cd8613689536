"""Registration: prove the card, then choose the account."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from portal.forms import AccountForm, CardProofForm
from portal.models import Card
from portal.services.registration import card_prove, member_register
from portal.views.common import errors_attach, limited, refuse_over_rate

PROVEN_FOR_SECONDS = 15 * 60
PROOF_ERRORS = {
    "no_match": gettext_lazy(
        "The details do not match our records. Please check them and try again. After several "
        "attempts that do not match, registration of the card pauses for 24 hours."
    ),
    "registered": gettext_lazy(
        "This card already has a My Net+ account. Please log in, or use 'Forgot your password?'."
    ),
    "unusable": gettext_lazy(
        "This card cannot be registered (it was reported lost, reissued or closed). Please contact us."
    ),
}


@sensitive_post_parameters("pan", "expiry", "date_of_birth", "contact")
@limited("RATELIMIT_REGISTRATION")
def register_card(request: HttpRequest) -> HttpResponse:
    form = CardProofForm(request.POST or None)
    refuse_over_rate(request, form)
    if request.method == "POST" and form.is_valid():
        month, year = form.cleaned_data["expiry"]
        proof = card_prove(
            pan=form.cleaned_data["pan"],
            expiry_month=month,
            expiry_year=year,
            date_of_birth=form.cleaned_data["date_of_birth"],
            contact=form.cleaned_data["contact"],
        )
        if proof.card is not None and not proof.error:
            request.session.cycle_key()
            request.session["register_card"] = [proof.card.pk, time.time()]
            return redirect("portal:register-account")
        form.add_error(None, str(PROOF_ERRORS[proof.error]))
    return render(request, "portal/register_card.html", {"form": form})


def _proven_card(request: HttpRequest) -> Card | None:
    value = request.session.get("register_card")
    if not value or time.time() - value[1] > PROVEN_FOR_SECONDS:
        return None
    return Card.objects.filter(pk=value[0]).first()


@sensitive_post_parameters("password")
# Its answers tell whether a My Net+ ID is taken: limited like the proof, so IDs cannot be listed.
@limited("RATELIMIT_REGISTRATION")
def register_account(request: HttpRequest) -> HttpResponse:
    card = _proven_card(request)
    if card is None:
        messages.info(request, _("Please start with your card details."))
        return redirect("portal:register")
    form = AccountForm(request.POST or None)
    refuse_over_rate(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_register(card=card, language=(get_language() or "ja")[:2], **form.cleaned_data)
        except ValidationError as error:
            errors_attach(form, error, "password")
        else:
            del request.session["register_card"]
            login(request, member)
            messages.success(request, _("Welcome to My Net+. Next, enrol your card in 3-D Secure."))
            return redirect("portal:home")
    return render(request, "portal/register_account.html", {"form": form, "card": card})
