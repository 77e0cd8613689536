"""Support staff read risk analysis in Japanese: labels, never the engine's raw codes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

import riskanalysis
from riskanalysis.admin import OTHER_REASON_TEXTS, assessment_html, provider_label
from riskanalysis.history import METHOD_DEVICE_KINDS, Kind
from riskanalysis.models import DENY_KIND_CHOICES, SIGNAL_KIND_CHOICES, Assessment, RuleSet
from riskanalysis.rulesets import ruleset_activate, ruleset_create_draft

from .conftest import make_facts, record

FRICTIONLESS = "フリクションレス（チャレンジ認証なし）"
CHALLENGE = "チャレンジ認証"
INTERNAL = "内部ルール"
TIMED_OUT = "外部リスク判定サービス（http）がタイムアウトしたため、内部ルールで判定"


def assess(**changes: Any) -> Assessment:
    facts = make_facts(**changes)
    acs_trans_id = uuid.uuid4()
    record(facts=facts, decision=riskanalysis.assess(facts), acs_trans_id=acs_trans_id, trans_status="Y")
    return Assessment.objects.get(acs_trans_id=acs_trans_id)


def test_it_lists_assessments_with_japanese_outcomes_and_providers(staff_client: Client) -> None:
    assert assess().outcome == "frictionless"
    challenged = assess(challenge_indicators=("04",))
    assert challenged.outcome == "challenge"
    Assessment.objects.filter(pk=challenged.pk).update(provider="http_timeout")
    page = staff_client.get("/admin/riskanalysis/assessment/").content.decode()
    for cell in (
        f'<td class="field-outcome">{FRICTIONLESS}</td>',
        f'<td class="field-outcome">{CHALLENGE}</td>',
        f'<td class="field-shadow_outcome">{FRICTIONLESS}</td>',
        f'<td class="field-provider_display">{INTERNAL}</td>',
        f'<td class="field-provider_display">{TIMED_OUT}</td>',
    ):
        assert cell in page, cell
    # The filters name them too, and still filter by the stored code.
    for link in (
        f'<a href="?outcome__exact=frictionless">{FRICTIONLESS}</a>',
        '<a href="?outcome__exact=reject">拒否</a>',
        f'<a href="?provider=internal">{INTERNAL}</a>',
        f'<a href="?provider=http_timeout">{TIMED_OUT}</a>',
    ):
        assert link in page, link
    for raw in (">frictionless<", ">challenge<", ">internal<", ">http_timeout<"):
        assert raw not in page, raw
    filtered = staff_client.get("/admin/riskanalysis/assessment/?provider=http_timeout").content.decode()
    assert str(challenged.acs_trans_id) in filtered
    assert f'<td class="field-provider_display">{INTERNAL}</td>' not in filtered


def test_it_shows_an_assessment_in_japanese(staff_client: Client) -> None:
    assessment = assess(challenge_indicators=("04",))
    page = staff_client.get(f"/admin/riskanalysis/assessment/{assessment.pk}/change/").content.decode()
    assert f'<div class="readonly">{CHALLENGE}</div>' in page
    assert f'<div class="readonly">{INTERNAL}</div>' in page
    # The requestor's mandate is no rule of the rule set, yet it is explained.
    assert "<code>requestor_challenge_mandate</code>" in page
    assert "加盟店が本人認証を求めています。" in page
    assert "<th>日本語</th><th>英語</th>" in page
    for raw in ('<div class="readonly">challenge</div>', '<div class="readonly">internal</div>', "English"):
        assert raw not in page, raw


def test_it_sums_up_the_assessment_for_the_transaction_page_in_japanese(db: None) -> None:
    assessment = assess()
    with translation.override("ja"):
        html = assessment_html(assessment.acs_trans_id)
    assert f"{FRICTIONLESS} · スコア {assessment.score} · ルールセット v0 · {INTERNAL} ·" in html
    assert f"シャドー判定: {FRICTIONLESS}（" in html


@pytest.mark.parametrize(
    ("provider", "japanese", "english"),
    [
        ("internal", INTERNAL, "internal rules"),
        ("http", "外部リスク判定サービス（http）", "external risk service (http)"),
        ("http_timeout", TIMED_OUT, "external risk service (http) timed out: internal rules decided"),
        (
            "http_error",
            "外部リスク判定サービス（http）でエラーが発生したため、内部ルールで判定",
            "external risk service (http) failed: internal rules decided",
        ),
        (
            "http_circuit_open",
            "外部リスク判定サービス（http）は障害のため一時停止中。内部ルールで判定",
            "external risk service (http) paused after failures: internal rules decided",
        ),
    ],
)
def test_it_names_what_decided_an_assessment(provider: str, japanese: str, english: str) -> None:
    with translation.override("ja"):
        assert provider_label(provider) == japanese
    with translation.override("en"):
        assert provider_label(provider) == english


@pytest.mark.parametrize(("indicator", "code"), [("04", "mandate"), ("03", "preference")])
def test_it_words_the_requestors_reasons_as_the_engine_does(db: None, indicator: str, code: str) -> None:
    decision = riskanalysis.assess(make_facts(challenge_indicators=(indicator,)))
    reason = next(r for r in decision.reasons if r.code == f"requestor_challenge_{code}")
    assert OTHER_REASON_TEXTS[reason.code] == (reason.text_ja, reason.text_en)


def test_it_labels_every_signal_kind() -> None:
    assert {value for value, _label in SIGNAL_KIND_CHOICES} == {kind.value for kind in Kind}
    deny_kinds = {value for value, _label in DENY_KIND_CHOICES}
    assert deny_kinds == {Kind.IP_PREFIX, *METHOD_DEVICE_KINDS}


def test_it_names_signal_and_deny_list_kinds_in_japanese(staff_client: Client) -> None:
    assess()
    page = staff_client.get("/admin/riskanalysis/cardsignal/").content.decode()
    for label in (
        "IPアドレス（/24または/48の範囲）",
        "3DSメソッドのデバイスID",
        "加盟店",
        "ブラウザ（AReqのブラウザ情報）",
    ):
        assert f'<td class="field-kind">{label}</td>' in page, label
    assert '<td class="field-kind">ip_prefix</td>' not in page
    expires = timezone.localtime() + dt.timedelta(days=30)
    response = staff_client.post(
        "/admin/riskanalysis/denyentry/add/",
        {
            "kind": "device_id",
            "value": "device-0001",
            "reason": "fraud ring",
            "expires_at_0": f"{expires:%Y-%m-%d}",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    )
    added = [str(m) for m in response.context["messages"]]
    assert len(added) == 1 and "3DSメソッドのデバイスID" in added[0]
    page = staff_client.get("/admin/riskanalysis/denyentry/").content.decode()
    assert '<td class="field-kind">3DSメソッドのデバイスID</td>' in page
    assert '<td class="field-kind">device_id</td>' not in page


def test_it_tells_staff_in_japanese_why_a_rule_set_cannot_be_activated(staff_client: Client) -> None:
    active = ruleset_activate(ruleset=ruleset_create_draft())
    response = staff_client.post(
        "/admin/riskanalysis/ruleset/", {"action": "activate", "_selected_action": [active.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "v1 は下書きではありません。有効にできるのは下書きだけです。"
    ]
    staff_client.post(
        "/admin/riskanalysis/ruleset/", {"action": "copy_as_draft", "_selected_action": [active.pk]}
    )
    assert RuleSet.objects.get(version=2).note == "v1 のコピー"
    page = staff_client.get(f"/admin/riskanalysis/ruleset/{RuleSet.objects.get(version=2).pk}/change/")
    assert "オン（適用）" in page.content.decode()


def test_it_keeps_the_english_texts_in_english(db: None) -> None:
    active = ruleset_activate(ruleset=ruleset_create_draft())
    with translation.override("en"):
        assert ruleset_create_draft(source=active).note == "copy of v1"
        with pytest.raises(ValueError, match="only a draft can be activated"):
            ruleset_activate(ruleset=active)
