"""The member's home page: card, enrolment, recent authentications and "this wasn't me"."""

from __future__ import annotations

import json

from django.core import mail
from django.test import Client

from acs.models import Transaction
from portal.models import FraudReport, Member

from ..acs.conftest import make_areq


def test_it_shows_the_card_enrolment_and_recent_authentications(
    english: Client, alice: Member, card_ranges: None
) -> None:
    english.post(
        "/acs/areq",
        data=json.dumps(make_areq(merchantName="Kyoto Tea House")),
        content_type="application/json",
    )
    english.force_login(alice)
    html = english.get("/home/").content.decode()
    for expected in (
        "4111 11** **** 1111",
        "One-time password by SMS",
        "+81 ** **** 0001",
        "さくら満開",
        "Kyoto Tea House",
        "¥12,800",
        "Confirmed (no code needed)",
        "This wasn",
    ):
        assert expected in html, expected
    assert "4111111111111111" not in html
    assert "Approved" not in html  # reads as the charge approved: the card company decides that


def test_it_records_a_fraud_report_and_says_what_to_do(
    english: Client, alice: Member, bob: Member, card_ranges: None
) -> None:
    english.post("/acs/areq", data=json.dumps(make_areq()), content_type="application/json")
    txn = Transaction.objects.get()
    english.force_login(bob)
    assert english.post(f"/report/{txn.acs_trans_id}/").status_code == 302  # not Bob's card
    assert not FraudReport.objects.exists()
    english.force_login(alice)
    response = english.post(f"/report/{txn.acs_trans_id}/")
    assert "block the card" in response.content.decode()
    english.post(f"/report/{txn.acs_trans_id}/")
    report = FraudReport.objects.get()
    assert (report.member, report.card_id, report.acs_trans_id) == (alice, alice.card_id, txn.acs_trans_id)
    assert mail.outbox[-1].to == ["alice-visa@example.jp"]
    assert "Reported" in english.get("/home/").content.decode()


def test_it_sends_a_member_without_enrolment_to_enrol(english: Client, carol: Member) -> None:
    carol.enrolment.delete()
    english.force_login(carol)
    assert "Enrol in 3-D Secure" in english.get("/home/").content.decode()
