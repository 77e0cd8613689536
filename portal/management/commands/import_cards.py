"""`manage.py import_cards FILE.csv`: load the issuer's card file (see portal.services.card_import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.services.card_import import CardFileError, card_file_read, cards_import


class Command(BaseCommand):
    help = (
        "Import the issuer's card file (CSV, UTF-8 or Shift_JIS) as an upsert by PAN. Bad rows are "
        "reported on stderr and skipped; a missing column or an unreadable file imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            card_file = card_file_read(path)
            self.stdout.write(f"Encoding: {card_file.encoding}")
            result = cards_import(text=card_file.text)
        except CardFileError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from None
        for error in result.errors:
            self.stderr.write(str(error))
        self.stdout.write(result.summary())
