"""End challenges that timed out (reference §4) and send their RReqs: one pass, or `--loop`.

Run it with `--loop` beside the web server: a challenge idle for 10 minutes must be reported
to the DS within 60 s [Req 226/227], so the loop runs every few seconds. It may run beside
`deliver_results`: a row one of them claimed is left to it (`acs.results.claim_lease`).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from acs.results import results_deliver_due
from acs.services import challenges_expire


class Command(BaseCommand):
    help = "End timed-out challenges (no CReq in 30 s, or 10 minutes idle) and deliver their results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, one pass per --interval")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes with --loop")

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            ended = challenges_expire()
            delivered = results_deliver_due()
            self.stdout.write(f"expired {len(ended)}, delivered {delivered}")
            if not loop:
                return
            close_old_connections()
            time.sleep(interval)
