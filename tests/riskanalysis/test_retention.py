"""purge_risk_data: what is older than the retention period goes, the rest stays."""

from __future__ import annotations

import datetime as dt
import io
import uuid

from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

import riskanalysis
from riskanalysis.decision import Decision, Outcome
from riskanalysis.models import Assessment, CardProfile, CardSignal, DenyEntry, DeviceProfile, FraudMark

from .conftest import make_facts, record


def _record(days_ago: int) -> None:
    now = timezone.now() - dt.timedelta(days=days_ago)
    facts = make_facts(card_ref=f"card-{days_ago}", method=None)
    record(
        facts=facts,
        decision=Decision(Outcome.FRICTIONLESS, 0),
        acs_trans_id=uuid.uuid4(),
        trans_status="Y",
        now=now,
    )
    mark = riskanalysis.fraud_mark(pan_fingerprint=f"card-{days_ago}", source="support")
    FraudMark.objects.filter(pk=mark.pk).update(created_at=now)
    DeviceProfile.objects.create(
        three_ds_server_trans_id=uuid.uuid4(),
        fingerprint_hash="f" * 64,
        timezone_offset=-540,
        screen="390x844",
        color_depth=24,
        collected_at=now,
    )
    DenyEntry.objects.create(
        kind="device_id", value_key=f"{days_ago:032d}", expires_at=now + dt.timedelta(days=180)
    )


def test_it_deletes_what_is_older_than_the_retention_period(db: None) -> None:
    _record(days_ago=200)
    _record(days_ago=10)
    out = io.StringIO()
    call_command("purge_risk_data", stdout=out)
    assert "assessments: 1 deleted" in out.getvalue()
    for model in (Assessment, CardProfile, FraudMark, DeviceProfile, DenyEntry):
        assert model.objects.count() == 1, model
    assert CardSignal.objects.count() > 0
    assert not CardSignal.objects.filter(last_seen__lt=timezone.now() - dt.timedelta(days=180)).exists()


def test_it_follows_the_retention_setting(db: None) -> None:
    _record(days_ago=10)
    with override_settings(RISK_RETENTION_DAYS=7):
        call_command("purge_risk_data", stdout=io.StringIO())
    assert not Assessment.objects.exists()
    assert not CardSignal.objects.exists()
