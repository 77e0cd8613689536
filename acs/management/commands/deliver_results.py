"""Deliver pending RReqs from the outbox: one pass, or `--loop` as a long-running worker.

It may run beside `expire_challenges` (which delivers too) and beside other copies of itself:
each row is claimed under a lease longer than its slowest send (`acs.results.claim_lease`).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from acs.models import ResultDelivery
from acs.results import results_deliver_due


class Command(BaseCommand):
    help = "Send the RReqs waiting in the outbox to their Directory Servers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, one pass per --interval")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes with --loop")

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            delivered = results_deliver_due()
            pending = ResultDelivery.objects.filter(status=ResultDelivery.Status.PENDING).count()
            self.stdout.write(f"delivered {delivered}, pending {pending}")
            if not loop:
                return
            close_old_connections()
            time.sleep(interval)
