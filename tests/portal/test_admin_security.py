"""The admin's own defences: staff log-in locks and is rate-limited, staff cannot raise their
privileges, take over a cardholder or skip phone verification, and a lock is lifted only whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from portal.models import Member, ThreeDSEnrolment

from ..conftest import PASSWORD

WRONG = "not-the-password"


def admin_login(client: Client, username: str, password: str, **extra: Any) -> Any:
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def support_agent(*codenames: str) -> Member:
    """A staff account that is not a superuser, with only the given permissions."""
    member = Member.objects.create_user("agent", "agent@issuer.example.jp", PASSWORD, is_staff=True)
    member.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return member


def set_password(client: Client, member: Member, password: str) -> Any:
    data = {"password1": password, "password2": password}
    return client.post(f"/admin/portal/member/{member.pk}/password/", data)


def change_form(member: Member, **changes: Any) -> dict[str, Any]:
    """The member change form as the admin would post it back unchanged, with `changes`."""
    enrolment = ThreeDSEnrolment.objects.filter(member=member).first()
    data: dict[str, Any] = {
        "username": member.username,
        "email": member.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "enrolment-TOTAL_FORMS": 1 if enrolment else 0,
        "enrolment-INITIAL_FORMS": 1 if enrolment else 0,
        "enrolment-MIN_NUM_FORMS": 0,
        "enrolment-MAX_NUM_FORMS": 1,
    }
    if enrolment:
        data.update({"enrolment-0-id": enrolment.pk, "enrolment-0-member": member.pk})
    data.update(changes)
    return data


# Staff log-in


def test_it_locks_a_staff_account_after_five_wrong_passwords(client: Client, staff: Member) -> None:
    for attempt in range(1, 6):
        assert admin_login(client, "support", WRONG).status_code == 200
        staff.refresh_from_db()
        assert staff.failed_login_count == attempt
    assert staff.is_locked
    right = admin_login(client, "support", PASSWORD)
    assert right.status_code == 200 and "_auth_user_id" not in client.session
    staff.refresh_from_db()
    assert staff.failed_login_count == 5  # a locked account counts no more


def test_it_resets_the_count_when_staff_log_in(client: Client, staff: Member) -> None:
    admin_login(client, "support", WRONG)
    assert admin_login(client, "SUPPORT", PASSWORD)["Location"] == "/admin/"
    staff.refresh_from_db()
    assert staff.failed_login_count == 0


def test_it_counts_a_cardholder_password_guessed_at_the_admin_log_in(client: Client, alice: Member) -> None:
    admin_login(client, "alice-visa", WRONG)
    alice.refresh_from_db()
    assert alice.failed_login_count == 1


def test_a_superuser_unlocks_a_locked_staff_account(client: Client, staff: Member) -> None:
    for _ in range(5):
        admin_login(client, "support", WRONG)
    assert Member.objects.get(pk=staff.pk).is_locked
    other = Member.objects.create_superuser("lead", "lead@issuer.example.jp", PASSWORD)
    lead = Client()
    lead.force_login(other)
    lead.post("/admin/portal/member/", {"action": "unlock_accounts", "_selected_action": [staff.pk]})
    staff.refresh_from_db()
    assert not staff.is_locked and staff.failed_login_count == 0
    assert admin_login(client, "support", PASSWORD)["Location"] == "/admin/"


def test_it_rate_limits_the_admin_log_in_per_ip(client: Client, staff: Member, settings: Any) -> None:
    settings.RATELIMIT_LOGIN = "3/h"  # an hour's window: a minute's may roll over mid-test
    for _ in range(3):
        admin_login(client, "nobody-here", WRONG)
    blocked = admin_login(client, "support", PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert blocked.status_code == 200 and "Too many attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    other_ip = admin_login(client, "support", PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert other_ip["Location"] == "/admin/"


def test_it_checks_no_password_over_the_rate(client: Client, staff: Member, settings: Any) -> None:
    settings.RATELIMIT_LOGIN = "1/h"
    admin_login(client, "nobody-here", WRONG)
    admin_login(client, "support", WRONG)
    staff.refresh_from_db()
    assert staff.failed_login_count == 0


# Privileges and cardholders


def test_staff_who_may_change_members_cannot_make_themselves_superuser(client: Client, db: None) -> None:
    agent = support_agent("view_member", "change_member")
    client.force_login(agent)
    url = f"/admin/portal/member/{agent.pk}/change/"
    assert 'name="is_superuser"' not in client.get(url).content.decode()
    perm = Permission.objects.get(codename="delete_member")
    posted = client.post(
        url, change_form(agent, is_staff="on", is_superuser="on", user_permissions=[perm.pk])
    )
    assert posted.status_code == 302, posted.content.decode()[:3000]
    agent.refresh_from_db()
    assert not agent.is_superuser and not agent.user_permissions.filter(codename="delete_member").exists()


def test_staff_who_may_change_members_cannot_take_over_a_superuser(client: Client, staff: Member) -> None:
    client.force_login(support_agent("view_member", "change_member"))
    response = client.post(
        f"/admin/portal/member/{staff.pk}/password/",
        {"password1": "Taken-over-42", "password2": "Taken-over-42"},
    )
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


def test_staff_who_may_change_members_cannot_take_over_a_superuser_without_staff_status(
    client: Client, staff: Member
) -> None:
    Member.objects.filter(pk=staff.pk).update(is_staff=False)  # still a superuser everywhere else
    client.force_login(support_agent("view_member", "change_member"))
    assert set_password(client, staff, "Taken-over-42").status_code == 403


def test_staff_who_may_change_members_cannot_take_over_another_agent(client: Client, db: None) -> None:
    # The other agent may hold permissions this one lacks (rule sets, fraud marks).
    risk_lead = Member.objects.create_user("risk-lead", "lead@issuer.example.jp", PASSWORD, is_staff=True)
    client.force_login(support_agent("view_member", "change_member"))
    assert set_password(client, risk_lead, "Taken-over-42").status_code == 403
    risk_lead.refresh_from_db()
    assert risk_lead.check_password(PASSWORD)


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "agent"])
def test_no_one_changes_a_cardholders_email_in_the_admin(
    client: Client, staff: Member, alice: Member, superuser: bool
) -> None:
    # "Forgot your password?" would mail the temporary password to the new address.
    client.force_login(staff if superuser else support_agent("view_member", "change_member"))
    before = alice.email
    response = client.post(
        f"/admin/portal/member/{alice.pk}/change/", change_form(alice, email="thief@evil.example")
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.email == before


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "agent"])
def test_no_one_sets_a_cardholders_password_in_the_admin(
    client: Client, staff: Member, alice: Member, superuser: bool
) -> None:
    client.force_login(staff if superuser else support_agent("view_member", "change_member"))
    assert client.get(f"/admin/portal/member/{alice.pk}/password/").status_code == 403
    assert set_password(client, alice, "Taken-over-42").status_code == 403
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert "/password/" not in client.get(f"/admin/portal/member/{alice.pk}/change/").content.decode()


def test_a_superuser_still_sets_a_staff_password(staff_client: Client, db: None) -> None:
    agent = support_agent()
    response = staff_client.post(
        f"/admin/portal/member/{agent.pk}/password/",
        {"password1": "Fresh-start-42", "password2": "Fresh-start-42"},
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password("Fresh-start-42")


def test_staff_cannot_change_the_authentication_method(
    staff_client: Client, alice: Member, carol: Member
) -> None:
    # Carol to SMS OTP without a verified phone; Alice back to the weaker password method.
    for member, method in ((carol, "sms_otp"), (alice, "password")):
        enrolment = ThreeDSEnrolment.objects.get(member=member)
        before = enrolment.method
        direct = staff_client.post(
            f"/admin/portal/threedsenrolment/{enrolment.pk}/change/", {"method": method}
        )
        inline = staff_client.post(
            f"/admin/portal/member/{member.pk}/change/", change_form(member, **{"enrolment-0-method": method})
        )
        assert direct.status_code == inline.status_code == 302
        enrolment.refresh_from_db()
        assert enrolment.method == before, member.username


# Lockout


def test_the_change_form_does_not_clear_a_lock(staff_client: Client, alice: Member) -> None:
    Member.objects.filter(pk=alice.pk).update(is_locked=True, failed_login_count=5)
    response = staff_client.post(f"/admin/portal/member/{alice.pk}/change/", change_form(alice))
    assert response.status_code == 302, response.content.decode()[:3000]
    alice.refresh_from_db()
    assert alice.is_locked and alice.failed_login_count == 5


def test_view_only_staff_cannot_unlock_an_account(client: Client, alice: Member) -> None:
    Member.objects.filter(pk=alice.pk).update(is_locked=True, failed_login_count=5)
    client.force_login(support_agent("view_member"))
    client.post("/admin/portal/member/", {"action": "unlock_accounts", "_selected_action": [alice.pk]})
    alice.refresh_from_db()
    assert alice.is_locked


def test_only_a_superuser_unlocks_a_staff_account(client: Client, staff: Member) -> None:
    Member.objects.filter(pk=staff.pk).update(is_locked=True, failed_login_count=5)
    client.force_login(support_agent("view_member", "change_member"))
    client.post("/admin/portal/member/", {"action": "unlock_accounts", "_selected_action": [staff.pk]})
    staff.refresh_from_db()
    assert staff.is_locked
