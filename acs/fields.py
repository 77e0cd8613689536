"""A model field for EMV amounts, which may have more digits than any database integer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class MinorUnitsField(models.DecimalField):  # type: ignore[type-arg]
    """A whole amount in minor units, up to `max_digits` digits, stored exactly.

    purchaseAmount may have 48 digits (reference §2.1). PostgreSQL keeps it as numeric. SQLite
    (the local default) gives a numeric column a float once an integer passes 64 bits, and
    Django reads its decimals back through a 15-digit float: there the digits are kept as text.
    """

    def get_internal_type(self) -> str:
        # Not "DecimalField": that name makes Django's SQLite backend read the value as a float.
        return "MinorUnitsField"

    def db_type(self, connection: BaseDatabaseWrapper) -> str | None:
        if connection.vendor == "sqlite":
            return "text"
        return connection.data_types["DecimalField"] % self.db_type_parameters(connection)

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> Decimal | None:
        return None if value is None else Decimal(value)
