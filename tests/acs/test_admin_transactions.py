"""Support staff on a transaction: the risk assessment, no secrets, and reporting fraud."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from acs.models import Transaction
from portal.models import Member
from riskanalysis.models import Assessment, FraudMark

from .conftest import make_areq


@pytest.mark.usefixtures("card_ranges")
def test_it_shows_the_assessment_without_secrets_and_reports_fraud(
    client: Client, alice: Member, staff: Member
) -> None:
    ares = client.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json").json()
    txn = Transaction.objects.get()
    client.force_login(staff)
    page = client.get(f"/admin/acs/transaction/{txn.pk}/change/").content.decode()
    assert "4111 11** **** 1111" in page
    assessment = Assessment.objects.get(acs_trans_id=txn.acs_trans_id)
    # Text only the assessment panel writes (the sidebar lists "ルールセット" on every page).
    assert f"スコア {assessment.score} · ルールセット v{assessment.ruleset_version}" in page
    for secret in (
        "4111111111111111",
        ares["authenticationValue"],
        txn.pan_fingerprint,
        "alice@example.jp",
        "203.0.113.7",
    ):
        assert secret not in page
    client.post("/admin/acs/transaction/", {"action": "report_fraud", "_selected_action": [txn.pk]})
    assert FraudMark.objects.get().source == "support"


@pytest.mark.usefixtures("card_ranges")
def test_a_members_report_becomes_a_fraud_mark(client: Client, alice: Member) -> None:
    client.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json")
    txn = Transaction.objects.get()
    client.force_login(alice)
    client.post(f"/report/{txn.acs_trans_id}/")
    assert FraudMark.objects.get().source == "cardholder"


@pytest.mark.usefixtures("card_ranges")
@pytest.mark.parametrize(
    ("codenames", "marked"), [(["view_transaction"], False), (["view_transaction", "add_fraudmark"], True)]
)
def test_only_staff_allowed_to_add_fraud_marks_report_fraud(
    client: Client, alice: Member, codenames: list[str], marked: bool
) -> None:
    client.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json")
    txn = Transaction.objects.get()
    agent = Member.objects.create_user("agent", "agent@issuer.example.jp", "Agent-pass-2026", is_staff=True)
    agent.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(agent)

    listing = client.get("/admin/acs/transaction/").content.decode()
    client.post("/admin/acs/transaction/", {"action": "report_fraud", "_selected_action": [txn.pk]})

    assert ('value="report_fraud"' in listing) is marked
    assert FraudMark.objects.exists() is marked
