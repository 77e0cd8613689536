"""Registration in My Net+: prove the card, then create its one account.

A failed proof says the same thing whether the card is unknown or a detail is wrong, so the
form cannot be used to learn which card numbers exist. Failed proofs are counted on the card,
whatever network they come from: after a few, the card's registration pauses for a day, so that
someone holding a stolen card number and contact cannot guess the date of birth. A paused card
answers "no match" too, right details or not: a distinct answer would tell that the number is
one of ours, and which guess was right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import crypto
from portal.ime import ime_normalise
from portal.models import Card, Member
from portal.services.notices import notice_send
from portal.sms.numbers import normalise

MEMBER_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
PROOF_MAX_FAILURES = 5
PROOF_PAUSE = dt.timedelta(hours=24)  # the form error (portal.views.register) says 24 hours


@dataclass(frozen=True)
class Proof:
    card: Card | None = None
    error: str = ""  # "no_match", "registered", "unusable"


def _same_phone(given: str, registered: str) -> bool:
    return normalise(given) == registered


def card_prove(
    *, pan: str, expiry_month: int, expiry_year: int, date_of_birth: dt.date, contact: str
) -> Proof:
    """Check the card details against the issuer's record; `contact` is its mobile or e-mail."""
    pan = ime_normalise(pan, digits=True)  # as the card file's numbers are read (card_import)
    with transaction.atomic():
        # The card row stays locked from the pause check to the count: parallel guesses for one
        # card are taken one after the other, so none slips past the limit.
        card = (
            Card.objects.select_related("account")
            .select_for_update(of=("self",))
            .filter(pan_fingerprint=crypto.pan_fingerprint(pan))
            .first()
        )
        if card is None:
            # Same work as a known card (a phone parse, a comparison) so timing tells nothing either.
            _same_phone(contact, "")
            return Proof(error="no_match")
        details_ok = _details_match(card, expiry_month, expiry_year, date_of_birth, contact)
        if card.registration_paused_until is not None and card.registration_paused_until > timezone.now():
            return Proof(error="no_match")  # not counted: the pause is not extended by guesses
        if not details_ok:
            _proof_failure_record(card)
            return Proof(error="no_match")
        if card.registration_failures:
            card.registration_failures = 0
            card.save(update_fields=["registration_failures"])
    if not card.is_active:
        return Proof(card, error="unusable")
    if hasattr(card, "account"):
        return Proof(card, error="registered")
    return Proof(card)


def _details_match(
    card: Card, expiry_month: int, expiry_year: int, date_of_birth: dt.date, contact: str
) -> bool:
    contact = contact.strip()
    contact_ok = (
        (contact.casefold() == card.email.casefold()) if "@" in contact else _same_phone(contact, card.mobile)
    )
    details_ok = (card.expiry_month, card.expiry_year % 100) == (expiry_month, expiry_year % 100)
    return contact_ok and details_ok and card.date_of_birth == date_of_birth


def _proof_failure_record(card: Card) -> None:
    """Count a failed proof on the (locked) card; at the limit, pause its registration afresh."""
    card.registration_failures += 1
    if card.registration_failures >= PROOF_MAX_FAILURES:
        card.registration_failures = 0
        card.registration_paused_until = timezone.now() + PROOF_PAUSE
    card.save(update_fields=["registration_failures", "registration_paused_until"])


def member_id_problem(username: str) -> str | None:
    if not MEMBER_ID.match(username):
        return _("Use 6 to 20 letters, digits, '-' or '_'.")
    if Member.objects.filter(username__iexact=username).exists():
        return _("This My Net+ ID is taken. Please choose another.")
    return None


def member_register(*, card: Card, username: str, password: str, email: str, language: str) -> Member:
    """Create the card's account; raise ValidationError on any rule (ID, password, one per card)."""
    problem = member_id_problem(username)
    if problem:
        raise ValidationError({"username": problem})
    member = Member(username=username, email=email, card=card, language=language)
    validate_password(password, member)
    member.password = make_password(password)
    try:
        with transaction.atomic():
            locked = Card.objects.select_for_update().get(pk=card.pk)
            if not locked.is_active or Member.objects.filter(card=locked).exists():
                raise ValidationError(
                    {"__all__": _("This card is already registered or cannot be registered.")}
                )
            member.save()
    except IntegrityError:
        # Two registrations racing for one ID or one card: the loser is told to pick again.
        raise ValidationError({"username": _("This My Net+ ID is taken. Please choose another.")}) from None
    notice_send(member=member, kind="registered")
    return member
