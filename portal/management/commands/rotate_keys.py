"""Re-encrypt every encrypted field under the newest key.

Each row is rewritten in its own short transaction, so the command can be interrupted at any
point and run again: rows already under the newest key are skipped by the query itself.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models.functions import Cast

from portal import crypto
from portal.fields import EncryptedTextField

BATCH = 500


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def stale_rows(model: type[models.Model], name: str, current: str) -> models.QuerySet[Any]:
    # Cast to plain text so the comparison sees the stored ciphertext, not the decrypted value.
    return (
        model._default_manager.alias(raw=Cast(name, models.TextField()))
        .exclude(raw="")
        .exclude(raw__isnull=True)
        .exclude(raw__startswith=f"{current}$")
    )


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the newest FIELD_ENCRYPTION_KEYS key; safe to re-run."

    def handle(self, *args: Any, **options: Any) -> None:
        current = crypto.field_keyring().current_id
        total = 0
        for model, names in encrypted_fields():
            for name in names:
                count = self._rotate(model, name, current)
                total += count
                self.stdout.write(f"{model._meta.label}.{name}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values now under key {current}."))

    def _rotate(self, model: type[models.Model], name: str, current: str) -> int:
        count = 0
        while True:
            pks = list(stale_rows(model, name, current).values_list("pk", flat=True)[:BATCH])
            if not pks:
                return count
            for pk in pks:
                with transaction.atomic():
                    row = model._default_manager.select_for_update().filter(pk=pk).first()
                    if row is not None:
                        # Reading decrypts under the old key; saving encrypts under the newest.
                        row.save(update_fields=[name])
                        count += 1
