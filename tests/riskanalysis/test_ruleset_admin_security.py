"""Rule sets in the admin: only staff allowed to change them activate one, and never a broken one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from portal.models import Member
from riskanalysis.models import RuleSet
from riskanalysis.rulesets import active_policy, ruleset_activate, ruleset_create_draft

from ..conftest import PASSWORD
from .world import areq, post_areq

BROKEN_PARAMS = [
    [1, 2],
    {"challenge_amount_jpy": "lots"},
    {"challenge_amount_jpy": None},
    {"card_burst_10m": True},
    {"card_burst_10m": 2.5},
    {"card_burst_10m": 0},
    {"amount_above_usual_factor": 0},  # the engine takes its logarithm
    {"amount_above_usual_factor": "4"},
    {"no_such_parameter": 3},
]


def risk_staff(*codenames: str) -> Member:
    member = Member.objects.create_user("risk-staff", "risk@issuer.example.jp", PASSWORD, is_staff=True)
    member.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return member


def add_form(params: Any) -> dict[str, Any]:
    return {
        "note": "tuned",
        "challenge_at": 50,
        "challenge_at_when_exempt": 80,
        "reject_at": 100,
        "params": json.dumps(params),
        "rules-TOTAL_FORMS": 0,
        "rules-INITIAL_FORMS": 0,
    }


def run_action(client: Client, action: str, ruleset: RuleSet) -> None:
    client.post("/admin/riskanalysis/ruleset/", {"action": action, "_selected_action": [ruleset.pk]})


def test_it_does_not_let_view_only_staff_activate_a_draft(client: Client, db: None) -> None:
    client.force_login(risk_staff("view_ruleset"))
    draft = ruleset_create_draft(note="not yet")
    run_action(client, "activate", draft)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT
    assert active_policy().version == 0


def test_it_does_not_let_view_only_staff_copy_a_rule_set(client: Client, db: None) -> None:
    client.force_login(risk_staff("view_ruleset"))
    source = ruleset_create_draft()
    run_action(client, "copy_as_draft", source)
    assert RuleSet.objects.count() == 1


def test_it_lets_staff_who_may_change_rule_sets_activate_a_draft(client: Client, db: None) -> None:
    client.force_login(risk_staff("view_ruleset", "change_ruleset"))
    draft = ruleset_create_draft()
    run_action(client, "activate", draft)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.ACTIVE


@pytest.mark.parametrize("params", BROKEN_PARAMS, ids=json.dumps)
def test_it_refuses_to_save_parameters_the_engine_cannot_use(staff_client: Client, params: Any) -> None:
    response = staff_client.post("/admin/riskanalysis/ruleset/add/", add_form(params))
    assert response.status_code == 200  # the form again, with its error
    assert "errorlist" in response.content.decode()
    assert not RuleSet.objects.exists()


def test_it_saves_known_parameters_of_the_right_type(staff_client: Client) -> None:
    params = {"challenge_amount_jpy": 50_000, "card_burst_10m": 8, "amount_above_usual_factor": 3}
    response = staff_client.post("/admin/riskanalysis/ruleset/add/", add_form(params))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RuleSet.objects.get(note="tuned").params == params


@pytest.mark.parametrize("params", BROKEN_PARAMS, ids=json.dumps)
def test_it_refuses_to_activate_a_draft_with_broken_parameters(db: None, params: Any) -> None:
    draft = ruleset_create_draft()
    RuleSet.objects.filter(pk=draft.pk).update(params=params)  # as if saved before the form checked
    with pytest.raises(ValueError, match=f"v{draft.version}"):
        ruleset_activate(ruleset=draft)
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_the_admin_says_why_a_broken_draft_was_not_activated(
    staff_client: Client, card_ranges: None, alice: Member
) -> None:
    draft = ruleset_create_draft()
    RuleSet.objects.filter(pk=draft.pk).update(params={"challenge_amount_jpy": "lots"})
    response = staff_client.post(
        "/admin/riskanalysis/ruleset/",
        {"action": "activate", "_selected_action": [draft.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "challenge_amount_jpy" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT
    assert post_areq(staff_client, areq())["transStatus"] in {"Y", "C"}  # authentication goes on
