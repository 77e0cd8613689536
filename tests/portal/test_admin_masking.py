from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from portal.models import Member, ThreeDSEnrolment


def _ciphertexts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pan, email, mobile FROM portal_card")
        rows = cursor.fetchall()
        cursor.execute("SELECT mobile, personal_message FROM portal_threedsenrolment")
        rows += cursor.fetchall()
    return [value for row in rows for value in row if value]


def _pages(alice: Member) -> list[str]:
    enrolment = ThreeDSEnrolment.objects.get(member=alice)
    return [
        "/admin/portal/card/",
        f"/admin/portal/card/{alice.card_id}/change/",
        "/admin/portal/member/",
        f"/admin/portal/member/{alice.pk}/change/",
        "/admin/portal/threedsenrolment/",
        f"/admin/portal/threedsenrolment/{enrolment.pk}/change/",
        "/admin/portal/card/?q=1111",
        "/admin/portal/member/?q=alice",
    ]


def test_it_never_renders_a_full_pan_or_a_ciphertext(
    staff_client: Client, alice: Member, bob: Member
) -> None:
    secrets = [
        "4111111111111111",
        "4111 1111 1111 1111",
        "3566002020360505",
        "+819011110001",
        *_ciphertexts(),
    ]
    for url in _pages(alice):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for secret in secrets:
            assert secret not in content, (url, secret[:6])


def test_it_shows_the_masked_card_and_phone(staff_client: Client, alice: Member) -> None:
    content = staff_client.get(f"/admin/portal/card/{alice.card_id}/change/").content.decode()
    assert "4111 11** **** 1111" in content
    assert "+81 ** **** 0001" in content


@pytest.mark.parametrize("query", ["alice-visa", "1111", "alice-visa@example.jp"])
def test_it_finds_a_card_by_id_last4_or_email(
    staff_client: Client, alice: Member, bob: Member, query: str
) -> None:
    content = staff_client.get("/admin/portal/card/", {"q": query}).content.decode()
    assert "4111 11** **** 1111" in content
    assert "3566 00** **** 0505" not in content


def test_it_unlocks_a_locked_account(staff_client: Client, alice: Member) -> None:
    Member.objects.filter(pk=alice.pk).update(is_locked=True, failed_login_count=5)
    response = staff_client.post(
        "/admin/portal/member/", {"action": "unlock_accounts", "_selected_action": [alice.pk]}, follow=True
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert not alice.is_locked and alice.failed_login_count == 0
