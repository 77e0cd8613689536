"""purchaseAmount may have 48 digits (reference §2.1): every one is stored, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from acs.models import Transaction
from portal.models import Member
from riskanalysis.models import Assessment

from .conftest import make_areq

Post = Callable[..., Any]


@pytest.mark.parametrize("amount", ["1234567890123456789", "9" * 25, "9" * 48])
def test_it_stores_a_huge_amount_exactly_and_assesses_it(post_areq: Post, alice: Member, amount: str) -> None:
    answer = post_areq(make_areq(purchaseAmount=amount)).json()

    assert answer["messageType"] == "ARes", answer
    txn = Transaction.objects.get()
    txn.refresh_from_db()
    assert txn.purchase_amount == Decimal(amount)
    assert Transaction.objects.filter(purchase_amount=Decimal(amount)).exists()
    # The risk history keeps amounts in bigint columns: beyond one, it keeps the largest.
    assessment = Assessment.objects.get(acs_trans_id=txn.acs_trans_id)
    assert assessment.amount_yen is not None and 0 < assessment.amount_yen <= 2**63 - 1
