"""`manage.py purge_risk_data`: delete risk data older than RISK_RETENTION_DAYS (run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from riskanalysis.retention import risk_data_purge


class Command(BaseCommand):
    help = "Delete pseudonymised risk data older than the retention period (RISK_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="override RISK_RETENTION_DAYS")

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        for table, count in risk_data_purge(days=days).items():
            self.stdout.write(f"{table}: {count} deleted")
