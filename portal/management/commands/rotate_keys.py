"""Re-encrypt every encrypted field under the newest key.

Each row is rewritten in its own short transaction, so the command can be interrupted at any
point and run again: rows already under the newest key are skipped by the query itself.

A value that cannot be decrypted (its key is no longer configured, or it was tampered with) is
reported on stderr and left as it is; the others are still rotated, and the command then exits
non-zero so that the run is not mistaken for a complete one.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
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
        total = skipped = 0
        for model, names in encrypted_fields():
            for name in names:
                count, unreadable = self._rotate(model, name, current)
                total += count
                skipped += unreadable
                self.stdout.write(f"{model._meta.label}.{name}: {count} re-encrypted")
        if skipped:
            raise CommandError(
                f"{total} values now under key {current}; {skipped} unreadable, left as they are."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values now under key {current}."))

    def _rotate(self, model: type[models.Model], name: str, current: str) -> tuple[int, int]:
        """Re-encrypt one field of every row; return how many were rewritten and how many skipped."""
        count = skipped = 0
        after: Any = None  # the last pk seen: an unreadable row stays stale, so never ask for it again
        while True:
            stale = stale_rows(model, name, current).order_by("pk")
            if after is not None:
                stale = stale.filter(pk__gt=after)
            pks = list(stale.values_list("pk", flat=True)[:BATCH])
            if not pks:
                return count, skipped
            for pk in pks:
                try:
                    count += self._rewrite(model, name, pk)
                except crypto.DecryptionError as exc:
                    skipped += 1
                    self.stderr.write(f"{model._meta.label} pk={pk}: {name} not re-encrypted: {exc}")
            after = pks[-1]

    def _rewrite(self, model: type[models.Model], name: str, pk: Any) -> int:
        with transaction.atomic():
            # Only this field is loaded: another unreadable field of the row does not stop it.
            row = model._default_manager.select_for_update().only(name).filter(pk=pk).first()
            if row is None:
                return 0
            # Reading decrypts under the old key; saving encrypts under the newest.
            row.save(update_fields=[name])
            return 1
