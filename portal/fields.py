"""A model field that stores text encrypted with `portal.crypto`."""

from __future__ import annotations

from typing import Any

from django.db import models

from portal import crypto


class EncryptedTextField(models.TextField):
    """Text kept encrypted at rest; the empty string is stored as is.

    Lookups other than `isnull` are meaningless on it (every encryption is randomised): look a
    card up by its fingerprint instead.
    """

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value, purpose=self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value, purpose=self.purpose)
