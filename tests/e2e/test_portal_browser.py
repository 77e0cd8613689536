"""My Net+ in a real browser, with the sandbox's phone inbox and mailbox standing in for the
cardholder's phone and e-mail."""

from __future__ import annotations

import re
from typing import Any

import pytest

from portal.management.commands.seed_demo import DEMO_PASSWORD
from portal.models import FraudReport, Member

from .conftest import TIMEOUT_MS, Shop

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a quiet harbour at dawn"
TEMPORARY = re.compile(r"(?:^|\s)([A-Za-z0-9]{12})\s*$", re.M)


def portal(shop: Shop, path: str) -> Any:
    page = shop.page
    page.goto(f"{shop.site.acs}{path}")
    return page


def submit(page: Any, **fields: str) -> None:
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    page.click("main button.primary")
    page.wait_for_load_state("load")


def log_in(shop: Shop, username: str, password: str) -> Any:
    page = portal(shop, "/login/")
    submit(page, username=username, password=password)
    return page


def test_a_new_member_registers_enrols_and_sees_the_message_on_a_challenge(shop: Shop) -> None:
    page = portal(shop, "/register/")
    submit(
        page,
        pan="3530 1113 3330 0000",
        expiry="12/30",
        date_of_birth="1995-08-08",
        contact="yuki@demo.mynet.example.jp",
    )
    assert page.url.endswith("/register/account/")
    submit(page, username="yuki-tanaka", password=NEW_PASSWORD, email="yuki@example.jp")
    assert page.url.endswith("/home/")
    page.click("a[href='/3ds/enrol/']")
    submit(page, mobile="090-1234-0004", personal_message="月夜の灯台")
    assert page.url.endswith("/3ds/verify/")
    phone = shop.open_phone("0004")
    [code] = shop.wait_for_codes(phone, 1)
    submit(page, code=code)
    assert page.inner_text("[data-testid=personal-message]") == "月夜の灯台"
    page.goto(f"{shop.site.acs}/3ds/message/")
    submit(page, personal_message="秋の紅葉")
    assert page.inner_text("[data-testid=personal-message]") == "秋の紅葉"
    shop.shot("portal-home-enrolled")

    shop.checkout(card="jcb-unregistered", challenge="04")
    frame = shop.challenge_frame()
    assert frame.inner_text("[data-testid=personal-message]") == "秋の紅葉"
    phone.reload()
    [challenge_code] = [c for c in shop.wait_for_codes(phone, 2) if c != code]
    shop.submit(frame, code=challenge_code)
    assert shop.wait_for_result()["status"] == "Y"


def test_a_forgotten_password_is_replaced_through_the_mailbox(shop: Shop, settings: Any) -> None:
    # The test runner swaps in its in-memory backend; the cardholder reads mail in the sandbox.
    settings.EMAIL_BACKEND = "sandbox.mail.SandboxMailboxBackend"
    page = portal(shop, "/password/forgot/")
    submit(page, username="demo-visa", date_of_birth="1988-04-01", email="hanako@demo.mynet.example.jp")
    mailbox = shop.context.new_page()
    mailbox.goto(f"{shop.site.merchant}mail")
    mailbox.click("[data-testid=mail] a")
    match = TEMPORARY.search(mailbox.inner_text("[data-testid=mail-body]"))
    assert match, mailbox.inner_text("[data-testid=mail-body]")
    page = log_in(shop, "demo-visa", match.group(1))
    assert page.url.endswith("/password/new/")
    submit(page, new=NEW_PASSWORD)
    assert page.url.endswith("/home/")
    page.click("header form button")  # log out
    page = log_in(shop, "demo-visa", NEW_PASSWORD)
    assert page.url.endswith("/home/")
    shop.shot("portal-after-recovery")


def test_a_legacy_member_switches_to_sms_codes(shop: Shop) -> None:
    page = log_in(shop, "demo-legacy", DEMO_PASSWORD)
    assert page.inner_text("[data-testid=method]") == "My Net+パスワード（従来方式）"
    page.click("a[href='/3ds/switch/']")
    submit(page, mobile="090-1234-0003", password=DEMO_PASSWORD)
    phone = shop.open_phone("0003")
    [code] = shop.wait_for_codes(phone, 1)
    submit(page, code=code)
    assert page.inner_text("[data-testid=method]") == "SMSによるワンタイムパスワード"
    assert page.inner_text("[data-testid=personal-message]") == "いつもの猫"


def test_five_failures_lock_the_account_until_support_unlocks_it(shop: Shop) -> None:
    for _ in range(5):
        page = log_in(shop, "demo-jcb", "not the password")
    # A wrong password never tells whether the ID exists or is locked; the right one does.
    assert "正しくありません" in page.inner_text("main")
    page = log_in(shop, "demo-jcb", DEMO_PASSWORD)
    assert "ロックされています" in page.inner_text("main")
    shop.shot("portal-locked")

    staff = shop.context.browser.new_context(locale="ja-JP")
    admin = staff.new_page()
    admin.goto(f"{shop.site.acs}/admin/login/")
    admin.fill("#id_username", "demo-support")
    admin.fill("#id_password", DEMO_PASSWORD)
    admin.click("input[type=submit]")
    admin.goto(f"{shop.site.acs}/admin/portal/member/?is_locked__exact=1")
    admin.check("input.action-select")
    admin.select_option("select[name=action]", "unlock_accounts")
    admin.click("button[name=index]")
    admin.wait_for_selector("ul.messagelist", timeout=TIMEOUT_MS)
    staff.close()
    assert not Member.objects.get(username="demo-jcb").is_locked

    page = log_in(shop, "demo-jcb", DEMO_PASSWORD)
    assert page.url.endswith("/home/")


def test_this_wasnt_me_shows_the_payment_and_reports_only_when_confirmed(shop: Shop) -> None:
    shop.checkout(card="visa-sms", challenge="01", merchant="Kyoto Tea House")
    assert shop.wait_for_result()["status"] == "Y"
    page = log_in(shop, "demo-visa", DEMO_PASSWORD)
    page.click("table.history a:has-text('身に覚えがない')")
    page.wait_for_load_state("load")
    assert re.search(r"/report/[0-9a-f-]{36}/$", page.url), page.url
    payment = page.inner_text("[data-testid=payment]")
    assert "Kyoto Tea House" in payment and "¥12,800" in payment
    assert not FraudReport.objects.exists()  # the tap on the home page only asked
    shop.shot("portal-report-confirm")
    page.click("main a[href='/home/']")  # "Back": nothing filed
    assert page.url.endswith("/home/") and not FraudReport.objects.exists()

    page.click("table.history a:has-text('身に覚えがない')")
    page.click("main button.primary")
    page.wait_for_load_state("load")
    assert page.inner_text("h1") == "ご連絡ありがとうございます"
    assert FraudReport.objects.get().member.username == "demo-visa"
    page.goto(f"{shop.site.acs}/home/")
    assert "報告済み" in page.inner_text("table.history")


def test_the_logged_in_header_keeps_each_word_on_one_line_at_360px(shop: Shop) -> None:
    shop.page.set_viewport_size({"width": 360, "height": 740})
    page = log_in(shop, "demo-visa", DEMO_PASSWORD)
    assert page.url.endswith("/home/")
    # One line box per item: "ホー/ム" or "My/Net+" would be two.
    lines = page.eval_on_selector_all(
        ".site-header .brand, .site-header nav a, .site-header nav button, .site-header .lang button",
        """els => els.map(el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return [el.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
        })""",
    )
    assert [text for text, _ in lines] == ["My Net+", "ホーム", "ログアウト", "日本語", "English"]
    assert all(count == 1 for _, count in lines), lines
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing pushed off the side
    shop.shot("portal-home-360")
