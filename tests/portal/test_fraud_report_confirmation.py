""" "This wasn't me" asks first: the home page links to a confirmation page, whose POST files it."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from acs.models import Transaction
from portal.models import FraudReport, Member

from ..acs.conftest import make_areq


@pytest.fixture
def txn(client: Client, card_ranges: None) -> Transaction:
    """A frictionless authentication of Alice's card at the Kyoto Tea House."""
    client.post(
        "/acs/areq",
        data=json.dumps(make_areq(merchantName="Kyoto Tea House")),
        content_type="application/json",
    )
    return Transaction.objects.get()


def test_it_links_from_home_to_the_confirmation_without_a_form(
    english: Client, alice: Member, txn: Transaction
) -> None:
    english.force_login(alice)
    html = english.get("/home/").content.decode()
    assert f'href="/report/{txn.acs_trans_id}/"' in html
    assert f'action="/report/{txn.acs_trans_id}/"' not in html  # one tap there files nothing


def test_it_shows_the_payment_and_what_happens_next_and_files_nothing(
    english: Client, alice: Member, txn: Transaction
) -> None:
    english.force_login(alice)
    response = english.get(f"/report/{txn.acs_trans_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("Kyoto Tea House", "¥12,800", "What happens next", "0120-000-000", "Back to home"):
        assert expected in html, expected
    assert re.search(r"<dd>\d{4}/\d{2}/\d{2} \d{2}:\d{2}</dd>", html)
    assert re.search(r'<form method="post">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert not FraudReport.objects.exists() and not mail.outbox


def test_it_files_the_report_only_with_the_pages_csrf_token(alice: Member, txn: Transaction) -> None:
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    client.force_login(alice)
    page = client.get(f"/report/{txn.acs_trans_id}/").content.decode()
    assert client.post(f"/report/{txn.acs_trans_id}/").status_code == 403  # from another site
    assert not FraudReport.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    response = client.post(f"/report/{txn.acs_trans_id}/", {"csrfmiddlewaretoken": token})
    assert "block the card" in response.content.decode()
    assert FraudReport.objects.get().acs_trans_id == txn.acs_trans_id


def test_it_sends_another_card_holder_home(english: Client, bob: Member, txn: Transaction) -> None:
    english.force_login(bob)
    response = english.get(f"/report/{txn.acs_trans_id}/", follow=True)
    assert response.redirect_chain == [("/home/", 302)]
    assert "not one of your card" in response.content.decode()
    assert "Kyoto Tea House" not in response.content.decode()


def test_it_sends_a_reported_payment_home_where_it_shows_as_reported(
    english: Client, alice: Member, txn: Transaction
) -> None:
    english.force_login(alice)
    english.post(f"/report/{txn.acs_trans_id}/")
    response = english.get(f"/report/{txn.acs_trans_id}/", follow=True)
    assert response.redirect_chain == [("/home/", 302)]
    assert "Reported" in response.content.decode()
