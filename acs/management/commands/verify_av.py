"""Check an authentication value against its transaction (for the authorisation host or support)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from acs.models import Transaction
from acs.services import verify_av


class Command(BaseCommand):
    help = "Verify an authentication value (CAVV/AAV) against the transaction it was issued for."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("acs_trans_id", help="the acsTransID of the authentication")
        parser.add_argument("value", help="the 28-character Base64 authentication value")

    def handle(self, *args: Any, acs_trans_id: str, value: str, **options: Any) -> None:
        try:
            txn = Transaction.objects.get(acs_trans_id=uuid.UUID(acs_trans_id))
        except (ValueError, Transaction.DoesNotExist):
            raise CommandError(f"No transaction with acsTransID {acs_trans_id}") from None
        if verify_av(txn=txn, value=value):
            self.stdout.write(self.style.SUCCESS(f"valid: transStatus {txn.trans_status}, ECI {txn.eci}"))
        else:
            raise CommandError("invalid: the value does not match this transaction")
