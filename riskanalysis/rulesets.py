"""Rule sets: the active one as an engine `Policy`, and the services risk staff use to change it.

The active rule set is read at most every RISK_RULESET_CACHE_SECONDS per process, not on every
AReq; activating one clears this process's copy at once (other workers follow within the TTL).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from riskanalysis.engine import Mode, Policy
from riskanalysis.models import RuleConfig, RuleSet
from riskanalysis.rules import RULES, Params

_lock = threading.Lock()
_cached: tuple[float, Policy, bool] | None = None
PARAM_NAMES = frozenset(f.name for f in dataclasses.fields(Params))
# int: counts, days, hours and yen; float: factors over a card's usual amount (the engine takes
# their logarithm). Every one is at least 1: below that a rule fires always or never.
PARAM_TYPES = {f.name: type(f.default) for f in dataclasses.fields(Params)}


def params_problems(params: object) -> list[str]:
    """Return what is wrong with a rule set's parameters, for staff; none: the engine can use them.

    A value of the wrong type fails inside the rules at the first AReq, and then every
    authentication fails with it: check before a rule set can become active.
    """
    if params is None:
        return []
    if not isinstance(params, dict):
        return [gettext("The rule parameters must be a JSON object of parameter names and values.")]
    return [problem for name, value in params.items() if (problem := _param_problem(name, value))]


def _param_problem(name: str, value: object) -> str:
    expected = PARAM_TYPES.get(name)
    if expected is None:
        return gettext("Unknown rule parameter: %(name)s.") % {"name": name}
    if expected is int:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return ""
        return gettext("%(name)s must be a whole number of at least 1.") % {"name": name}
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 1:
        return ""
    return gettext("%(name)s must be a number of at least 1.") % {"name": name}


def policy_of(ruleset: RuleSet) -> Policy:
    """Return the engine policy a stored rule set describes."""
    overrides = {k: v for k, v in (ruleset.params or {}).items() if k in PARAM_NAMES}
    rules = list(ruleset.rules.all())
    return Policy(
        challenge_at=ruleset.challenge_at,
        challenge_at_when_exempt=ruleset.challenge_at_when_exempt,
        reject_at=ruleset.reject_at,
        params=dataclasses.replace(Params(), **overrides),
        weights={r.code: r.weight for r in rules},
        modes={r.code: Mode(r.mode) for r in rules},
        version=ruleset.version,
    )


def _load() -> tuple[Policy, bool]:
    ruleset = RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).prefetch_related("rules").first()
    if ruleset is None:
        return Policy(), False
    return policy_of(ruleset), "challenge_amount_jpy" in (ruleset.params or {})


def active_policy() -> Policy:
    """Return the active rule set's policy (version 0, the built-in defaults, when none is active).

    The issuer's amount limit (RISK_CHALLENGE_AMOUNT_JPY) applies unless the rule set sets one.
    """
    global _cached
    now = time.monotonic()
    cached = _cached
    if cached is None or now - cached[0] > settings.RISK_RULESET_CACHE_SECONDS:
        with _lock:
            cached = (now, *_load())
            _cached = cached
    _, policy, sets_amount = cached
    if sets_amount:
        return policy
    params = dataclasses.replace(policy.params, challenge_amount_jpy=settings.RISK_CHALLENGE_AMOUNT_JPY)
    return dataclasses.replace(policy, params=params)


def forget() -> None:
    """Drop this process's copy of the active rule set."""
    global _cached
    with _lock:
        _cached = None


def ruleset_create_draft(*, created_by: str = "", note: str = "", source: RuleSet | None = None) -> RuleSet:
    """Create a draft: a copy of `source`, or the built-in defaults with every rule listed."""
    with transaction.atomic():
        last = RuleSet.objects.select_for_update().order_by("-version").first()
        draft = RuleSet(version=(last.version if last else 0) + 1, note=note, created_by=created_by)
        if source is not None:
            draft.challenge_at = source.challenge_at
            draft.challenge_at_when_exempt = source.challenge_at_when_exempt
            draft.reject_at = source.reject_at
            draft.params = dict(source.params or {})
            draft.note = note or gettext("copy of v%(version)s") % {"version": source.version}
        draft.save()
        copied = {r.code: r for r in source.rules.all()} if source is not None else {}
        RuleConfig.objects.bulk_create(
            [
                RuleConfig(
                    ruleset=draft,
                    code=code,
                    mode=copied[code].mode if code in copied else RuleConfig.Mode.ON,
                    weight=copied[code].weight if code in copied else spec.weight,
                )
                for code, spec in RULES.items()
            ]
        )
    return draft


def ruleset_activate(*, ruleset: RuleSet) -> RuleSet:
    """Make a draft the active rule set and retire the one before it."""
    with transaction.atomic():
        locked = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
        if locked.status != RuleSet.Status.DRAFT:
            # Shown to staff as is (the admin's activate action): in their language.
            raise ValueError(
                gettext("v%(version)s is not a draft: only a draft can be activated.")
                % {"version": locked.version}
            )
        problems = params_problems(locked.params)
        if problems:
            raise ValueError(
                gettext("v%(version)s cannot be activated: its rule parameters are not valid. %(problems)s")
                % {"version": locked.version, "problems": " ".join(problems)}
            )
        RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).update(status=RuleSet.Status.RETIRED)
        locked.status = RuleSet.Status.ACTIVE
        locked.activated_at = timezone.now()
        locked.save(update_fields=["status", "activated_at"])
        transaction.on_commit(forget)
    forget()
    return locked
