"""Shared by the registration tests: the unregistered card's details, and an English client."""

from __future__ import annotations

import pytest
from django.test import Client

# The details of the `unregistered_card` fixture, as a cardholder types them.
PROOF = {
    "pan": "3530 1113 3330 0000",
    "expiry": "12/30",
    "date_of_birth": "1985-06-15",
    "contact": "+81 90 3330 0000",
}
NO_MATCH = "The details do not match our records"


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client
