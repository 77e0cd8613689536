"""Signal handlers of the ACS: cache invalidation on admin edits, fraud reports to risk analysis."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

import riskanalysis
from acs import directory
from acs.models import CardRange, DirectoryServer
from portal.hooks import fraud_reported
from portal.models import Card


@receiver([post_save, post_delete], sender=CardRange)
@receiver([post_save, post_delete], sender=DirectoryServer)
def _forget_directory(**kwargs: Any) -> None:
    directory.forget()


@receiver(fraud_reported)
def _mark_fraud_in_risk(*, card: Card, acs_trans_id: uuid.UUID, **kwargs: Any) -> None:
    """A member's "this wasn't me" becomes a fraud mark in risk analysis."""
    riskanalysis.fraud_mark(
        pan_fingerprint=card.pan_fingerprint, acs_trans_id=acs_trans_id, source="cardholder"
    )
