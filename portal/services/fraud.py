""" "This wasn't me": a member reports one of the card's authentications."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal import hooks
from portal.models import FraudReport, Member
from portal.services.notices import notice_send


def fraud_report_subject(*, member: Member, acs_trans_id: uuid.UUID) -> hooks.AuthenticationSummary:
    """Return the card's authentication the member is about to report; ValidationError if none."""
    card = member.card
    if card is None:
        raise ValidationError(_("There is no card on this account."))
    summary = next(
        (s for s in hooks.authentication_history(card, 50) if s.acs_trans_id == acs_trans_id), None
    )
    if summary is None:
        raise ValidationError(_("This authentication is not one of your card's."))
    return summary


def fraud_report(*, member: Member, acs_trans_id: uuid.UUID, note: str = "") -> FraudReport:
    """File the report (once: a second report of one authentication returns the first)."""
    summary = fraud_report_subject(member=member, acs_trans_id=acs_trans_id)
    card = member.card
    assert card is not None  # fraud_report_subject refuses an account without a card
    try:
        with transaction.atomic():
            report = FraudReport.objects.create(
                member=member, card=card, acs_trans_id=acs_trans_id, note=note[:500]
            )
    except IntegrityError:
        return FraudReport.objects.get(member=member, acs_trans_id=acs_trans_id)
    hooks.fraud_reported.send(sender=FraudReport, card=card, acs_trans_id=acs_trans_id)
    notice_send(member=member, kind="fraud_reported", merchant=summary.merchant, amount=summary.amount)
    return report
