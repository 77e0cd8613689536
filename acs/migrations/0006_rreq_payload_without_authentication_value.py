"""Take the authentication value out of the queued RReqs: it stays, encrypted, in the transaction."""

from typing import Any

from django.db import migrations


def strip(apps: Any, schema_editor: Any) -> None:
    ResultDelivery = apps.get_model("acs", "ResultDelivery")
    for row in ResultDelivery.objects.filter(payload__has_key="authenticationValue").iterator():
        row.payload.pop("authenticationValue")
        row.save(update_fields=["payload"])


def restore(apps: Any, schema_editor: Any) -> None:
    # The code before this migration sends the payload as it is stored.
    ResultDelivery = apps.get_model("acs", "ResultDelivery")
    for row in ResultDelivery.objects.select_related("transaction").iterator():
        if row.transaction.authentication_value and "authenticationValue" not in row.payload:
            row.payload["authenticationValue"] = row.transaction.authentication_value
            row.save(update_fields=["payload"])


class Migration(migrations.Migration):
    dependencies = [
        ("acs", "0005_ds_error_and_exact_amount"),
    ]

    operations = [migrations.RunPython(strip, restore)]
