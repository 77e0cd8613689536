"""The risk rules: small pure functions over the facts, each naming the reason it found.

A rule returns the code of the reason it fires (or None); `RULES` gives every code its default
weight, whether it decides outright (a hard rule: reject), its EMV transStatusReason and a short
explanation in English and Japanese. Risk staff tune weights and switch rules on, off or to
shadow per rule set (riskanalysis.models.RuleSet); the engine applies them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from riskanalysis.facts import Address, Facts
from riskanalysis.history import METHOD_DEVICE_KINDS, History, Kind
from riskanalysis.pricing import amount_in_yen

JAPAN_NUMERIC = "392"
JAPAN = "JP"

# ISO 18245 codes fraudsters cash out through: quasi-cash and crypto, money transfer and stored
# value, gambling and lotteries. Digital goods resell quickly and ship nowhere.
MCC_HIGH_RISK = frozenset(
    {"4829", "6050", "6051", "6211", "6536", "6537", "6538", "6540", "7800", "7801", "7802", "7995"}
)
MCC_DIGITAL_GOODS = frozenset({"5815", "5816", "5817", "5818"})

# Automation frameworks, headless browsers and HTTP libraries announce themselves here.
AUTOMATION_UA = re.compile(
    r"headless|phantomjs|selenium|webdriver|puppeteer|playwright|electron|python-requests|python-urllib|"
    r"aiohttp|httpx|curl/|wget/|go-http-client|okhttp|java/|libwww|scrapy|\bbot\b|crawler|spider",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Params:
    """Thresholds inside the rules, tunable per rule set (RuleSet.params)."""

    challenge_amount_jpy: int = 100_000
    burst_cards_per_device: int = 5  # distinct cards on one 3DS Method device in 10 minutes: reject
    card_burst_10m: int = 10  # authentications of one card in 10 minutes: reject (04)
    device_many_cards: int = 3  # distinct cards ever seen on one 3DS Method device
    device_cards_1h: int = 2  # other cards on this 3DS Method device in an hour
    browser_net_cards_10m: int = 3  # other cards on this browser-on-network in 10 minutes
    ip_cards_10m: int = 10  # other cards on this IP prefix in 10 minutes
    card_velocity_1h: int = 5
    card_velocity_10m: int = 3
    card_velocity_24h: int = 15
    amount_history_min: int = 5  # authenticated purchases before "usual" means anything
    amount_above_usual_factor: float = 4.0
    amount_far_above_usual_factor: float = 10.0
    known_device_min_count: int = 3
    known_device_min_days: int = 7
    fraud_report_days: int = 90
    failed_challenge_hours: int = 24


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    weight: int
    text_en: str
    text_ja: str
    hard: bool = False  # decides a rejection on its own
    trans_status_reason: str | None = None


def _spec(
    code: str, weight: int, en: str, ja: str, *, hard: bool = False, reason: str | None = None
) -> RuleSpec:
    return RuleSpec(code, weight, en, ja, hard, reason)


RULES: dict[str, RuleSpec] = {
    s.code: s
    for s in (
        # Hard rules: reject outright.
        _spec(
            "card_lost",
            100,
            "The card is reported lost or stolen.",
            "カードは紛失・盗難の届出があります。",
            hard=True,
            reason="10",
        ),
        _spec(
            "card_closed", 100, "The card is closed.", "カードは解約されています。", hard=True, reason="12"
        ),
        _spec(
            "card_replaced",
            100,
            "The card was replaced by a new number.",
            "カードは番号変更により差し替え済みです。",
            hard=True,
            reason="06",
        ),
        _spec(
            "device_deny_listed",
            100,
            "The device or network is on the deny list.",
            "端末またはネットワークが拒否リストにあります。",
            hard=True,
            reason="11",
        ),
        _spec(
            "device_card_burst",
            100,
            "Many cards were tried from this device within minutes.",
            "同じ端末から短時間に多数のカードが使われました。",
            hard=True,
            reason="11",
        ),
        _spec(
            "card_velocity_burst",
            100,
            "Too many authentications of this card within minutes.",
            "このカードの認証が短時間に多すぎます。",
            hard=True,
            reason="04",
        ),
        # Amount (the baseline's issuer limit, and the card's own habits).
        _spec("unknown_currency", 60, "The currency is not one we price.", "通貨が想定外です。"),
        _spec(
            "amount_above_threshold",
            60,
            "The amount is above the limit for frictionless.",
            "金額が基準を上回っています。",
        ),
        _spec(
            "amount_far_above_threshold",
            90,
            "The amount is far above the limit for frictionless.",
            "金額が基準を大きく上回っています。",
        ),
        _spec(
            "amount_above_usual",
            20,
            "The amount is well above this card's usual purchases.",
            "このカードの通常の利用額を大きく上回っています。",
        ),
        _spec(
            "amount_far_above_usual",
            35,
            "The amount is ten times this card's usual purchases or more.",
            "このカードの通常の利用額の10倍以上です。",
        ),
        # Device and network.
        _spec(
            "new_device",
            35,
            "This device has not been used with this card before.",
            "このカードで初めて使われる端末です。",
        ),
        _spec(
            "new_browser",
            25,
            "This browser and network have not been used with this card (no 3DS Method data).",
            "このカードで初めてのブラウザとネットワークです（3DSメソッドの端末情報なし）。",
        ),
        _spec(
            "known_device",
            -10,
            "A device this card has used for a while.",
            "このカードで継続して使われている端末です。",
        ),
        _spec(
            "new_ip_prefix",
            10,
            "This network has not been used with this card before.",
            "このカードで初めて使われるネットワークです。",
        ),
        _spec(
            "device_many_cards",
            25,
            "This device has been used with several cards.",
            "この端末は複数のカードで使われています。",
        ),
        _spec(
            "device_cards_velocity",
            30,
            "Other cards were used from this device in the last hour.",
            "直近1時間に同じ端末で他のカードが使われました。",
        ),
        _spec(
            "ip_cards_velocity",
            20,
            "Many cards were used from this network in the last 10 minutes.",
            "直近10分に同じネットワークで多数のカードが使われました。",
        ),
        _spec(
            "ip_country_foreign",
            25,
            "The IP address is outside Japan while the billing address is in Japan.",
            "請求先は日本ですが、IPアドレスは国外です。",
        ),
        _spec(
            "timezone_mismatch",
            15,
            "The browser's time zone does not fit the IP address's country.",
            "ブラウザのタイムゾーンがIPアドレスの国と一致しません。",
        ),
        _spec(
            "automation_user_agent",
            45,
            "The browser identifies as automation or a headless browser.",
            "自動化ツールまたはヘッドレスブラウザからのアクセスです。",
        ),
        _spec(
            "javascript_disabled",
            15,
            "JavaScript is disabled in the browser.",
            "ブラウザのJavaScriptが無効です。",
        ),
        _spec("method_not_completed", 15, "The 3DS Method did not run.", "3DSメソッドが実行されていません。"),
        _spec(
            "method_data_missing",
            5,
            "The 3DS Method was reported done but sent no device data.",
            "3DSメソッドは完了とされていますが、端末情報が届いていません。",
        ),
        # Velocity of the card.
        _spec(
            "card_velocity",
            20,
            "Several authentications of this card in a short time.",
            "短時間にこのカードの認証が複数回ありました。",
        ),
        _spec(
            "card_velocity_day",
            15,
            "Many authentications of this card today.",
            "本日このカードの認証が多数あります。",
        ),
        # Merchant.
        _spec(
            "mcc_high_risk",
            20,
            "Quasi-cash, money transfer or gambling merchant.",
            "換金性の高い取引・送金・ギャンブルの加盟店です。",
        ),
        _spec("mcc_digital_goods", 10, "Digital goods merchant.", "デジタルコンテンツの加盟店です。"),
        # Cardholder data against the issuer's records and the card's history.
        _spec(
            "ship_differs_from_bill",
            5,
            "The shipping address differs from the billing address.",
            "配送先が請求先と異なります。",
        ),
        _spec(
            "new_ship_address",
            20,
            "A shipping address this card has not used before.",
            "このカードで初めての配送先です。",
        ),
        _spec(
            "email_differs",
            10,
            "The e-mail differs from the registered one and is new for this card.",
            "メールアドレスが登録と異なり、このカードで初めてのものです。",
        ),
        _spec(
            "phone_differs",
            10,
            "The phone number differs from the registered one and is new for this card.",
            "電話番号が登録と異なり、このカードで初めてのものです。",
        ),
        _spec(
            "name_differs",
            5,
            "The cardholder name differs from the card record.",
            "カード名義が登録と異なります。",
        ),
        _spec(
            "suspicious_account_activity",
            25,
            "The merchant reports suspicious activity on the account.",
            "加盟店がアカウントの不審な動きを報告しています。",
        ),
        # The card's own record.
        _spec(
            "recent_fraud_report",
            50,
            "Fraud was reported on this card recently.",
            "最近このカードで不正利用の申告がありました。",
        ),
        _spec(
            "recent_failed_challenge",
            30,
            "A challenge on this card failed recently.",
            "最近このカードで本人認証に失敗しています。",
        ),
    )
}

Rule = Callable[[Facts, Params], str | None]


def _history(facts: Facts) -> History | None:
    return facts.history


def card_not_active(facts: Facts, p: Params) -> str | None:
    if not facts.card_known or facts.card_status == "active":
        return None
    return {"lost": "card_lost", "replaced": "card_replaced"}.get(facts.card_status or "", "card_closed")


def deny_listed(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    return "device_deny_listed" if h is not None and h.denied else None


def device_card_burst(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    # Other cards plus this one: a bot working through a list of cards on one browser.
    return (
        "device_card_burst" if h is not None and h.device_cards.m10 + 1 >= p.burst_cards_per_device else None
    )


def card_velocity_burst(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    return "card_velocity_burst" if h is not None and h.card_velocity.m10 + 1 >= p.card_burst_10m else None


def amount_threshold(facts: Facts, p: Params) -> str | None:
    if not facts.currency:
        return None  # no purchase (a non-payment authentication): no amount to size
    yen = amount_in_yen(facts)
    if yen is None:
        return "unknown_currency"
    if yen > p.challenge_amount_jpy * 5:
        return "amount_far_above_threshold"
    if yen > p.challenge_amount_jpy:
        return "amount_above_threshold"
    return None


def amount_usual(facts: Facts, p: Params) -> str | None:
    h, yen = _history(facts), amount_in_yen(facts)
    if h is None or yen is None or yen <= 0 or h.amount_n < p.amount_history_min:
        return None
    # Above the card's typical (geometric mean) by the factor and beyond three deviations: a
    # cardholder with varied spending is not flagged for a purchase within their range.
    excess = math.log(yen) - h.amount_log_mean
    if excess <= 3 * h.amount_log_std:
        return None
    if excess >= math.log(p.amount_far_above_usual_factor) and yen > 2 * h.amount_max_yen:
        return "amount_far_above_usual"
    if excess >= math.log(p.amount_above_usual_factor) and yen > h.amount_max_yen:
        return "amount_above_usual"
    return None


def new_device(facts: Facts, p: Params) -> str | None:
    """A device the card has not authenticated from: by its 3DS Method identity when there is one.

    Without the 3DS Method only the AReq's browser fields are left, and thousands of phones of
    one model share them; the browser on its network (/24) is the identity then, and being new
    weighs less (`new_browser`), since the evidence is weaker both ways.
    """
    h = _history(facts)
    if h is None or not h.has_trusted_history:
        return None
    method = [k for k in METHOD_DEVICE_KINDS if _presents(facts, k)]
    if method:
        return None if any(h.trusted(k) for k in method) else "new_device"
    return None if h.trusted(Kind.BROWSER_NET) else "new_browser"


def _presents(facts: Facts, kind: Kind) -> bool:
    m = facts.method
    return m is not None and bool(m.device_id_key if kind is Kind.DEVICE_ID else m.fingerprint_key)


def known_device(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is None:
        return None
    for kind in METHOD_DEVICE_KINDS:
        seen = h.seen.get(kind) if _presents(facts, kind) else None
        if (
            seen
            and seen.trusted >= p.known_device_min_count
            and (h.now - seen.first_seen).days >= p.known_device_min_days
        ):
            return "known_device"
    return None


def new_ip_prefix(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is None or not h.has_trusted_history or not facts.browser_ip:
        return None
    return None if h.trusted(Kind.IP_PREFIX) else "new_ip_prefix"


def device_many_cards(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    return "device_many_cards" if h is not None and h.device_cards_ever + 1 >= p.device_many_cards else None


def device_cards_velocity(facts: Facts, p: Params) -> str | None:
    # A 3DS Method device is one browser; the AReq's browser on a network may be many phones of
    # one model behind a carrier's NAT, so it counts over 10 minutes and needs more cards.
    h = _history(facts)
    if h is None:
        return None
    if h.device_cards.h1 >= p.device_cards_1h or h.browser_net_cards.m10 >= p.browser_net_cards_10m:
        return "device_cards_velocity"
    return None


def ip_cards_velocity(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    return "ip_cards_velocity" if h is not None and h.ip_cards.m10 >= p.ip_cards_10m else None


def ip_country_foreign(facts: Facts, p: Params) -> str | None:
    if not facts.ip_country or facts.ip_country == JAPAN:
        return None
    billing = facts.bill_address.country or JAPAN_NUMERIC  # a Japanese issuer's card bills in Japan
    return "ip_country_foreign" if billing == JAPAN_NUMERIC else None


def timezone_mismatch(facts: Facts, p: Params) -> str | None:
    offset = (
        facts.method.timezone_offset if facts.method and facts.method.timezone_offset is not None else None
    )
    if offset is None:
        offset = facts.browser_tz
    if offset is None or not facts.ip_country_offsets:
        return None
    return None if offset in facts.ip_country_offsets else "timezone_mismatch"


def automation_user_agent(facts: Facts, p: Params) -> str | None:
    ua = facts.browser_user_agent.strip()
    return "automation_user_agent" if not ua or AUTOMATION_UA.search(ua) else None


def javascript_disabled(facts: Facts, p: Params) -> str | None:
    return "javascript_disabled" if facts.browser_javascript_enabled is False else None


def method_completion(facts: Facts, p: Params) -> str | None:
    if facts.method is not None:
        return None
    return "method_data_missing" if facts.three_ds_comp_ind == "Y" else "method_not_completed"


def card_velocity(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is None:
        return None
    v = h.card_velocity
    if v.m10 >= p.card_velocity_10m or v.h1 >= p.card_velocity_1h:
        return "card_velocity"
    return "card_velocity_day" if v.h24 >= p.card_velocity_24h else None


def mcc_risk(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is not None and h.trusted(Kind.MERCHANT):
        return None  # a merchant this cardholder already buys from
    if facts.mcc in MCC_HIGH_RISK:
        return "mcc_high_risk"
    return "mcc_digital_goods" if facts.mcc in MCC_DIGITAL_GOODS else None


def normalise_address(address: Address) -> str:
    text = "|".join((*address.lines, address.city, address.post_code, address.state, address.country))
    return re.sub(r"[\s\-‐ー−,.、。]", "", unicodedata.normalize("NFKC", text)).casefold()


def _ship_differs(facts: Facts) -> bool:
    if facts.addr_match == "N":
        return True
    if facts.addr_match == "Y" or facts.ship_address.is_empty or facts.bill_address.is_empty:
        return False
    return normalise_address(facts.ship_address) != normalise_address(facts.bill_address)


def shipping(facts: Facts, p: Params) -> str | None:
    if not _ship_differs(facts):
        return None
    h = _history(facts)
    if (
        h is not None
        and h.has_trusted_history
        and not facts.ship_address.is_empty
        and not h.trusted(Kind.SHIP_ADDR)
    ):
        return "new_ship_address"
    return "ship_differs_from_bill"


def email_differs(facts: Facts, p: Params) -> str | None:
    if facts.email_matches is not False:
        return None
    h = _history(facts)
    return None if h is not None and h.trusted(Kind.EMAIL) else "email_differs"


def phone_differs(facts: Facts, p: Params) -> str | None:
    if facts.phone_matches is not False:
        return None
    h = _history(facts)
    return None if h is not None and h.trusted(Kind.PHONE) else "phone_differs"


def name_differs(facts: Facts, p: Params) -> str | None:
    return "name_differs" if facts.name_matches is False else None


def suspicious_account(facts: Facts, p: Params) -> str | None:
    return "suspicious_account_activity" if facts.account.suspicious_activity == "02" else None


def recent_fraud_report(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is None or h.last_fraud_at is None:
        return None
    if h.last_challenge_passed_at is not None and h.last_challenge_passed_at > h.last_fraud_at:
        return None  # the cardholder has proved themselves since
    return "recent_fraud_report" if (h.now - h.last_fraud_at).days < p.fraud_report_days else None


def recent_failed_challenge(facts: Facts, p: Params) -> str | None:
    h = _history(facts)
    if h is None or h.last_challenge_failed_at is None or h.challenge_failures < 1:
        return None
    recent = (h.now - h.last_challenge_failed_at).total_seconds() < p.failed_challenge_hours * 3600
    return "recent_failed_challenge" if recent else None


# Every rule, in the order reasons are listed. Which codes each may fire is in RULES.
ALL_RULES: tuple[Rule, ...] = (
    card_not_active,
    deny_listed,
    device_card_burst,
    card_velocity_burst,
    amount_threshold,
    amount_usual,
    new_device,
    known_device,
    new_ip_prefix,
    device_many_cards,
    device_cards_velocity,
    ip_cards_velocity,
    ip_country_foreign,
    timezone_mismatch,
    automation_user_agent,
    javascript_disabled,
    method_completion,
    card_velocity,
    mcc_risk,
    shipping,
    email_differs,
    phone_differs,
    name_differs,
    suspicious_account,
    recent_fraud_report,
    recent_failed_challenge,
)
