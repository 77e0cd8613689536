"""`manage.py simulate_traffic`: replay days of cardholders' traffic and fraud through /acs/areq.

Run it on a scratch database: it writes cards, members, transactions and risk history, and with
--challenge-at/--reject-at it activates a rule set. In process it sets RISK_CLOCK=purchase_date
itself; a server given with --url must run with RISK_CLOCK=purchase_date and share the database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from riskanalysis.simulation.report import simulate


class Command(BaseCommand):
    help = "Simulate cardholders and fraud through the real AReq endpoint and report the risk figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cards", type=int, default=500)
        parser.add_argument("--days", type=int, default=7, help="days of traffic replayed through /acs/areq")
        parser.add_argument(
            "--fraud-per-day", type=int, default=None, help="fraud events a day (default cards/50)"
        )
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            help="past authentications backfilled before the replay (e.g. 1000000)",
        )
        parser.add_argument("--history-days", type=int, default=170)
        parser.add_argument(
            "--warmup-days",
            type=int,
            default=14,
            help="days replayed before measuring, so that habits are in the history",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--url", default="", help="a running server (RISK_CLOCK=purchase_date) instead of in process"
        )
        parser.add_argument("--challenge-at", type=int, default=None)
        parser.add_argument("--reject-at", type=int, default=None)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "seed_demo", verbosity=0, stdout=io.StringIO()
        )  # the demo card ranges the population's BINs belong to
        with override_settings(RISK_CLOCK="purchase_date"):
            figures = simulate(
                cards=options["cards"],
                days=options["days"],
                fraud_per_day=options["fraud_per_day"],
                history=options["history"],
                history_days=options["history_days"],
                warmup_days=options["warmup_days"],
                seed=options["seed"],
                url=options["url"],
                challenge_at=options["challenge_at"],
                reject_at=options["reject_at"],
                today=dt.date.today(),
                progress=None if options["json"] else self.stderr.write,
            )
        if options["json"]:
            self.stdout.write(json.dumps(figures, sort_keys=True))
            return
        for name, value in figures.items():
            self.stdout.write(f"{name}: {json.dumps(value, sort_keys=True)}")
