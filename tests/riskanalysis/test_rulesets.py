"""Rule sets: versioned in the admin, shadow rules recorded and not applied."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

import riskanalysis
from portal.models import Member
from riskanalysis.models import Assessment, RuleConfig, RuleSet
from riskanalysis.rules import RULES
from riskanalysis.rulesets import active_policy, ruleset_activate, ruleset_create_draft

from .conftest import make_facts, record


def test_it_uses_the_built_in_defaults_until_a_rule_set_is_active(db: None) -> None:
    assert active_policy().version == 0
    draft = ruleset_create_draft(note="first")
    assert active_policy().version == 0
    assert RuleConfig.objects.filter(ruleset=draft).count() == len(RULES)
    ruleset_activate(ruleset=draft)
    assert active_policy().version == draft.version == 1


def test_it_activates_drafts_only_and_retires_the_previous_one(db: None) -> None:
    first = ruleset_activate(ruleset=ruleset_create_draft())
    second = ruleset_activate(ruleset=ruleset_create_draft(source=first))
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == ("retired", "active", 2)
    with pytest.raises(ValueError):
        ruleset_activate(ruleset=first)


def test_it_records_shadow_rules_without_applying_them(db: None) -> None:
    draft = ruleset_create_draft()
    RuleConfig.objects.filter(ruleset=draft, code="name_differs").update(mode="shadow", weight=60)
    draft.challenge_at = 55
    draft.save()
    ruleset_activate(ruleset=draft)
    facts = make_facts(name_matches=False, mcc="7995", method=None, three_ds_comp_ind="N")
    decision = riskanalysis.assess(facts)
    assert decision.outcome == "frictionless"  # gambling 20 + no method 15: 35, under 55
    assert decision.shadow_outcome == "challenge"  # ... but 95 with the shadow rule
    assert [r.code for r in decision.shadow_reasons] == ["name_differs"]
    acs_trans_id = uuid.uuid4()
    record(facts=facts, decision=decision, acs_trans_id=acs_trans_id, trans_status="Y")
    stored = Assessment.objects.get(acs_trans_id=acs_trans_id)
    assert (stored.outcome, stored.shadow_outcome, stored.ruleset_version) == ("frictionless", "challenge", 1)
    assert stored.shadow_reasons == [{"code": "name_differs", "score": 60}]
    assert stored.score == 35 and stored.shadow_score == 95


def test_it_lets_staff_edit_a_draft_and_see_assessments_without_personal_data(
    db: None, staff: Member, client: Client
) -> None:
    client.force_login(staff)
    response = client.post(
        "/admin/riskanalysis/ruleset/add/",
        {
            "note": "tighter",
            "challenge_at": 45,
            "challenge_at_when_exempt": 80,
            "reject_at": 100,
            "params": "{}",
            "rules-TOTAL_FORMS": 0,
            "rules-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = RuleSet.objects.get(note="tighter")
    assert draft.created_by == "support" and draft.rules.count() == len(RULES)
    client.post("/admin/riskanalysis/ruleset/", {"action": "activate", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == "active"
    assert client.get(f"/admin/riskanalysis/ruleset/{draft.pk}/change/").status_code == 200  # read-only now
    facts = make_facts(email="alice@example.jp", email_matches=False, name_matches=False)
    decision = riskanalysis.assess(facts)
    acs_trans_id = uuid.uuid4()
    record(facts=facts, decision=decision, acs_trans_id=acs_trans_id, trans_status="Y")
    stored = Assessment.objects.get(acs_trans_id=acs_trans_id)
    page = client.get(f"/admin/riskanalysis/assessment/{stored.pk}/change/").content.decode()
    assert "email_differs" in page and "メールアドレスが登録と異なり" in page
    assert "alice@example.jp" not in page and "133.242.0.7" not in page
    assert client.get("/admin/riskanalysis/assessment/").status_code == 200
    assert client.get("/admin/riskanalysis/cardsignal/").status_code == 200


def test_it_deny_lists_a_device_by_its_pseudonym_only(db: None, staff: Member, client: Client) -> None:
    client.force_login(staff)
    device_id = str(uuid.uuid4())
    response = client.post(
        "/admin/riskanalysis/denyentry/add/",
        {
            "kind": "device_id",
            "value": device_id,
            "reason": "reported",
            "expires_at_0": "2099-01-01",
            "expires_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get("/admin/riskanalysis/denyentry/").content.decode()
    assert device_id not in page
