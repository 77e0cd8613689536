"""Each rule as a table: the facts it sees and the reason it gives. Pure: no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from riskanalysis import rules
from riskanalysis.facts import AccountInfo, Address
from riskanalysis.history import Kind, Window
from riskanalysis.rules import RULES, Params

from .conftest import NOW, make_facts, make_history, seen, without

P = Params()
TOKYO = Address(lines=("1-2-3 Marunouchi",), city="Chiyoda-ku", post_code="1000005", country="392")
OSAKA = Address(lines=("4-5-6 Umeda",), city="Kita-ku", post_code="5300001", country="392")
HEADLESS = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0.0.0 Safari/537.36"

CASES: list[tuple[str, Any, dict[str, Any], str | None]] = [
    # (case, rule, facts changes, expected reason code)
    ("active card", rules.card_not_active, {}, None),
    ("lost card", rules.card_not_active, {"card_status": "lost"}, "card_lost"),
    ("replaced card", rules.card_not_active, {"card_status": "replaced"}, "card_replaced"),
    ("closed card", rules.card_not_active, {"card_status": "closed"}, "card_closed"),
    ("no card record", rules.card_not_active, {"card_known": False, "card_status": None}, None),
    ("nothing denied", rules.deny_listed, {"history": make_history()}, None),
    (
        "device denied",
        rules.deny_listed,
        {"history": make_history(denied=frozenset({Kind.DEVICE_ID}))},
        "device_deny_listed",
    ),
    (
        "3 other cards on the device",
        rules.device_card_burst,
        {"history": make_history(device_cards=Window(3, 3, 3))},
        None,
    ),
    (
        "4 other cards on the device",
        rules.device_card_burst,
        {"history": make_history(device_cards=Window(4, 4, 4))},
        "device_card_burst",
    ),
    (
        "8 prior auths of the card in 10 min",
        rules.card_velocity_burst,
        {"history": make_history(card_velocity=Window(8, 8, 8))},
        None,
    ),
    (
        "9 prior auths of the card in 10 min",
        rules.card_velocity_burst,
        {"history": make_history(card_velocity=Window(9, 9, 9))},
        "card_velocity_burst",
    ),
    ("amount under the limit", rules.amount_threshold, {"amount_minor": 100_000}, None),
    ("amount over the limit", rules.amount_threshold, {"amount_minor": 100_001}, "amount_above_threshold"),
    (
        "amount far over the limit",
        rules.amount_threshold,
        {"amount_minor": 500_001},
        "amount_far_above_threshold",
    ),
    (
        "dollars over the limit",
        rules.amount_threshold,
        {"amount_minor": 70_000, "currency": "840", "exponent": 2},
        "amount_above_threshold",
    ),
    ("unpriced currency", rules.amount_threshold, {"currency": "999"}, "unknown_currency"),
    ("usual amount", rules.amount_usual, {"history": make_history()}, None),
    (
        "5x usual, above max",
        rules.amount_usual,
        {"amount_minor": 40_000, "history": make_history()},
        "amount_above_usual",
    ),
    (
        "20x usual, above 2x max",
        rules.amount_usual,
        {"amount_minor": 160_000, "history": make_history()},
        "amount_far_above_usual",
    ),
    (
        "5x usual for a spender with a wide range",
        rules.amount_usual,
        {"amount_minor": 40_000, "history": make_history(amount_log_std=1.0)},
        None,
    ),
    (
        "too little history for a usual",
        rules.amount_usual,
        {"amount_minor": 160_000, "history": make_history(amount_n=4)},
        None,
    ),
    ("known device", rules.new_device, {"history": make_history()}, None),
    (
        "known device id, new fingerprint",
        rules.new_device,
        {"history": make_history(seen=without(Kind.FINGERPRINT))},
        None,
    ),
    (
        "new device",
        rules.new_device,
        {"history": make_history(seen=without(Kind.DEVICE_ID, Kind.FINGERPRINT))},
        "new_device",
    ),
    (
        "new device on a card without history",
        rules.new_device,
        {"history": make_history(card_trusted_auths=0, seen={})},
        None,
    ),
    (
        "no method, known browser on its network",
        rules.new_device,
        {"method": None, "history": make_history()},
        None,
    ),
    (
        "no method, new browser on its network",
        rules.new_device,
        {"method": None, "history": make_history(seen=without(Kind.BROWSER_NET))},
        "new_browser",
    ),
    ("device used for months", rules.known_device, {"history": make_history()}, "known_device"),
    (
        "device seen twice",
        rules.known_device,
        {"history": make_history(seen={Kind.DEVICE_ID: seen(2, 2)})},
        None,
    ),
    (
        "device since yesterday",
        rules.known_device,
        {"history": make_history(seen={Kind.DEVICE_ID: seen(5, 5, days=2)})},
        None,
    ),
    ("known network", rules.new_ip_prefix, {"history": make_history()}, None),
    (
        "new network",
        rules.new_ip_prefix,
        {"history": make_history(seen=without(Kind.IP_PREFIX))},
        "new_ip_prefix",
    ),
    (
        "device with one other card",
        rules.device_many_cards,
        {"history": make_history(device_cards_ever=1)},
        None,
    ),
    (
        "device with two other cards",
        rules.device_many_cards,
        {"history": make_history(device_cards_ever=2)},
        "device_many_cards",
    ),
    (
        "one other card on the device this hour",
        rules.device_cards_velocity,
        {"history": make_history(device_cards=Window(0, 1, 1))},
        None,
    ),
    (
        "two other cards on the device this hour",
        rules.device_cards_velocity,
        {"history": make_history(device_cards=Window(1, 2, 2))},
        "device_cards_velocity",
    ),
    (
        "two other cards on the browser-on-network in 10 min",
        rules.device_cards_velocity,
        {"history": make_history(browser_net_cards=Window(2, 5, 5))},
        None,
    ),
    (
        "three other cards on the browser-on-network in 10 min",
        rules.device_cards_velocity,
        {"history": make_history(browser_net_cards=Window(3, 3, 3))},
        "device_cards_velocity",
    ),
    (
        "9 other cards on the network",
        rules.ip_cards_velocity,
        {"history": make_history(ip_cards=Window(9, 9, 9))},
        None,
    ),
    (
        "10 other cards on the network",
        rules.ip_cards_velocity,
        {"history": make_history(ip_cards=Window(10, 10, 10))},
        "ip_cards_velocity",
    ),
    ("IP in Japan", rules.ip_country_foreign, {}, None),
    (
        "IP abroad, billing in Japan",
        rules.ip_country_foreign,
        {"ip_country": "US", "bill_address": TOKYO},
        "ip_country_foreign",
    ),
    ("IP abroad, no billing address", rules.ip_country_foreign, {"ip_country": "US"}, "ip_country_foreign"),
    (
        "IP abroad, billing abroad",
        rules.ip_country_foreign,
        {"ip_country": "US", "bill_address": Address(lines=("1 Main St",), country="840")},
        None,
    ),
    ("IP country unknown", rules.ip_country_foreign, {"ip_country": None}, None),
    ("time zone of Japan in Japan", rules.timezone_mismatch, {}, None),
    (
        "US time zone on a Japanese IP",
        rules.timezone_mismatch,
        {"method": None, "browser_tz": 480},
        "timezone_mismatch",
    ),
    ("method's time zone wins over browserTZ", rules.timezone_mismatch, {"browser_tz": 480}, None),
    (
        "IP country unknown: nothing to compare",
        rules.timezone_mismatch,
        {"method": None, "browser_tz": 480, "ip_country_offsets": frozenset()},
        None,
    ),
    ("ordinary browser", rules.automation_user_agent, {}, None),
    (
        "headless browser",
        rules.automation_user_agent,
        {"browser_user_agent": HEADLESS},
        "automation_user_agent",
    ),
    (
        "HTTP library",
        rules.automation_user_agent,
        {"browser_user_agent": "python-requests/2.32"},
        "automation_user_agent",
    ),
    ("no user agent", rules.automation_user_agent, {"browser_user_agent": ""}, "automation_user_agent"),
    ("JavaScript on", rules.javascript_disabled, {}, None),
    (
        "JavaScript off",
        rules.javascript_disabled,
        {"browser_javascript_enabled": False},
        "javascript_disabled",
    ),
    ("JavaScript unknown (2.1.0)", rules.javascript_disabled, {"browser_javascript_enabled": None}, None),
    ("method data present", rules.method_completion, {}, None),
    ("method reported, no data", rules.method_completion, {"method": None}, "method_data_missing"),
    (
        "method not run",
        rules.method_completion,
        {"method": None, "three_ds_comp_ind": "U"},
        "method_not_completed",
    ),
    ("quiet card", rules.card_velocity, {"history": make_history(card_velocity=Window(1, 2, 4))}, None),
    (
        "3 in 10 minutes",
        rules.card_velocity,
        {"history": make_history(card_velocity=Window(3, 3, 3))},
        "card_velocity",
    ),
    (
        "5 in an hour",
        rules.card_velocity,
        {"history": make_history(card_velocity=Window(0, 5, 5))},
        "card_velocity",
    ),
    (
        "15 in a day",
        rules.card_velocity,
        {"history": make_history(card_velocity=Window(0, 0, 15))},
        "card_velocity_day",
    ),
    ("electronics", rules.mcc_risk, {"history": make_history(seen=without(Kind.MERCHANT))}, None),
    (
        "gambling, new merchant",
        rules.mcc_risk,
        {"mcc": "7995", "history": make_history(seen=without(Kind.MERCHANT))},
        "mcc_high_risk",
    ),
    ("quasi-cash, no history", rules.mcc_risk, {"mcc": "6051"}, "mcc_high_risk"),
    ("money transfer, usual merchant", rules.mcc_risk, {"mcc": "4829", "history": make_history()}, None),
    ("digital goods, new merchant", rules.mcc_risk, {"mcc": "5816"}, "mcc_digital_goods"),
    ("ships to billing", rules.shipping, {"bill_address": TOKYO, "ship_address": TOKYO}, None),
    (
        "ships to billing, written differently",
        rules.shipping,
        {
            "bill_address": TOKYO,
            "ship_address": Address(("1-2-3  MARUNOUCHI",), "Chiyoda-ku", "100-0005", "", "392"),
        },
        None,
    ),
    (
        "ships elsewhere, known address",
        rules.shipping,
        {"bill_address": TOKYO, "ship_address": OSAKA, "history": make_history()},
        "ship_differs_from_bill",
    ),
    (
        "ships elsewhere, new address",
        rules.shipping,
        {"bill_address": TOKYO, "ship_address": OSAKA, "history": make_history(seen=without(Kind.SHIP_ADDR))},
        "new_ship_address",
    ),
    ("addrMatch N", rules.shipping, {"addr_match": "N"}, "ship_differs_from_bill"),
    ("registered e-mail", rules.email_differs, {}, None),
    (
        "other e-mail, used before",
        rules.email_differs,
        {"email_matches": False, "history": make_history()},
        None,
    ),
    (
        "other e-mail, new",
        rules.email_differs,
        {"email_matches": False, "history": make_history(seen=without(Kind.EMAIL))},
        "email_differs",
    ),
    ("no e-mail to compare", rules.email_differs, {"email_matches": None}, None),
    ("other phone, new", rules.phone_differs, {"phone_matches": False}, "phone_differs"),
    (
        "other phone, used before",
        rules.phone_differs,
        {"phone_matches": False, "history": make_history()},
        None,
    ),
    ("name as on the card", rules.name_differs, {}, None),
    ("another name", rules.name_differs, {"name_matches": False}, "name_differs"),
    (
        "merchant saw nothing odd",
        rules.suspicious_account,
        {"account": AccountInfo(suspicious_activity="01")},
        None,
    ),
    (
        "merchant saw suspicious activity",
        rules.suspicious_account,
        {"account": AccountInfo(suspicious_activity="02")},
        "suspicious_account_activity",
    ),
    ("no fraud reported", rules.recent_fraud_report, {"history": make_history()}, None),
    (
        "fraud reported last week",
        rules.recent_fraud_report,
        {"history": make_history(last_fraud_at=NOW - dt.timedelta(days=7), fraud_marks=1)},
        "recent_fraud_report",
    ),
    (
        "fraud reported, challenge passed since",
        rules.recent_fraud_report,
        {
            "history": make_history(
                last_fraud_at=NOW - dt.timedelta(days=7), last_challenge_passed_at=NOW - dt.timedelta(days=1)
            )
        },
        None,
    ),
    (
        "fraud reported half a year ago",
        rules.recent_fraud_report,
        {"history": make_history(last_fraud_at=NOW - dt.timedelta(days=180))},
        None,
    ),
    (
        "challenge failed an hour ago",
        rules.recent_failed_challenge,
        {"history": make_history(last_challenge_failed_at=NOW - dt.timedelta(hours=1), challenge_failures=1)},
        "recent_failed_challenge",
    ),
    (
        "challenge failed two days ago",
        rules.recent_failed_challenge,
        {"history": make_history(last_challenge_failed_at=NOW - dt.timedelta(days=2), challenge_failures=1)},
        None,
    ),
    (
        "failure since cleared by a pass",
        rules.recent_failed_challenge,
        {"history": make_history(last_challenge_failed_at=NOW - dt.timedelta(hours=1), challenge_failures=0)},
        None,
    ),
]


@pytest.mark.parametrize(("case", "rule", "changes", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_gives_the_reason_of_the_table(
    case: str, rule: Any, changes: dict[str, Any], expected: str | None
) -> None:
    assert rule(make_facts(**changes), P) == expected


def test_it_has_a_table_row_for_every_rule_and_every_reason() -> None:
    tested = {c[1] for c in CASES}
    assert set(rules.ALL_RULES) <= tested
    fired = {c[3] for c in CASES} - {None}
    assert fired == set(RULES)


def test_it_explains_every_reason_in_japanese_and_english() -> None:
    for spec in RULES.values():
        assert spec.text_en and spec.text_ja
        assert any("\u3040" <= ch <= "\u9fff" for ch in spec.text_ja), spec.code
        assert spec.hard == (spec.trans_status_reason is not None)
