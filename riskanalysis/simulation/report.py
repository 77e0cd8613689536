"""Run a simulation and compute its figures."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

from riskanalysis.models import Assessment, RuleSet
from riskanalysis.rules import RULES
from riskanalysis.rulesets import ruleset_activate, ruleset_create_draft
from riskanalysis.simulation import population
from riskanalysis.simulation.backfill import backfill
from riskanalysis.simulation.runner import InProcess, Remote, Runner, Tally
from riskanalysis.simulation.scenarios import JST, SCENARIOS, Traffic


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _rules(challenge_at: int | None, reject_at: int | None) -> int:
    if challenge_at is None and reject_at is None:
        return 0
    active = RuleSet.objects.filter(status=RuleSet.Status.ACTIVE).first()
    draft = ruleset_create_draft(note="simulate_traffic", source=active)
    draft.challenge_at = challenge_at if challenge_at is not None else draft.challenge_at
    draft.reject_at = reject_at if reject_at is not None else draft.reject_at
    draft.save()
    return ruleset_activate(ruleset=draft).version


def simulate(
    *,
    cards: int,
    days: int,
    fraud_per_day: int | None,
    history: int,
    history_days: int,
    warmup_days: int,
    seed: int,
    url: str,
    challenge_at: int | None,
    reject_at: int | None,
    today: dt.date,
    progress: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    say = progress or (lambda _: None)
    people = population.build(cards, seed=seed)
    say(f"population: {cards} cardholders, {population.cards_ensure(people)} new cards")
    version = _rules(challenge_at, reject_at)
    first_day = today - dt.timedelta(days=days + warmup_days)
    start = dt.datetime.combine(first_day, dt.time(), JST).astimezone(dt.UTC)
    if history:
        say(f"backfill: {backfill(people, total=history, start=start, days=history_days, seed=seed)} written")
    history_rows = Assessment.objects.count()
    traffic = Traffic(
        people,
        seed=seed + 1,
        fraud_per_day=fraud_per_day if fraud_per_day is not None else max(2, cards // 50),
    )
    runner = Runner(Remote(url) if url else InProcess(), seed=seed + 2)
    measured = Tally()
    for offset in range(warmup_days + days):
        date = first_day + dt.timedelta(days=offset)
        if offset == warmup_days:
            runner.tally = measured
        for attempt in traffic.day(date):
            runner.play(attempt)
        say(f"{date}: {sum(sum(c.values()) for c in runner.tally.statuses.values())} AReqs so far")
    return _figures(measured, history_rows, version)


def _elapsed_ms(acs_trans_ids: list[str]) -> list[float]:
    values: list[float] = []
    for start in range(0, len(acs_trans_ids), 5000):
        chunk = acs_trans_ids[start : start + 5000]
        values.extend(
            us / 1000
            for us in Assessment.objects.filter(acs_trans_id__in=chunk).values_list("elapsed_us", flat=True)
        )
    return values


def _reason_counts(acs_trans_ids: list[str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for reasons in Assessment.objects.filter(acs_trans_id__in=acs_trans_ids[:5000]).values_list(
        "reasons", flat=True
    ):
        counts.update(r["code"] for r in reasons)
    return dict(counts.most_common(12))


def _sweep(tally: Tally) -> list[dict[str, Any]]:
    """Replay the measured scores under other thresholds (what a rule-set change would do).

    Exact for the decision of each AReq; it ignores the feedback of other answers on history.
    """
    scored: list[tuple[bool, int, bool]] = []
    for start in range(0, len(tally.acs_trans_ids), 5000):
        chunk = tally.acs_trans_ids[start : start + 5000]
        for acs_trans_id, score, reasons in Assessment.objects.filter(acs_trans_id__in=chunk).values_list(
            "acs_trans_id", "score", "reasons"
        ):
            hard = any(RULES.get(r["code"]) is not None and RULES[r["code"]].hard for r in reasons)
            scored.append((str(acs_trans_id) in tally.legit_ids, score, hard))
    legit = [s for s in scored if s[0]] or [(True, 0, False)]
    fraud = [s for s in scored if not s[0]] or [(False, 0, False)]
    rows = []
    for challenge_at, reject_at in (
        (30, 100),
        (40, 100),
        (50, 100),
        (60, 100),
        (70, 100),
        (50, 80),
        (50, 90),
    ):
        rows.append(
            {
                "challenge_at": challenge_at,
                "reject_at": reject_at,
                "legit_frictionless_rate": round(
                    sum(not h and s < challenge_at for _, s, h in legit) / len(legit), 4
                ),
                "legit_reject_rate": round(sum(h or s >= reject_at for _, s, h in legit) / len(legit), 5),
                "fraud_stopped_rate": round(sum(h or s >= challenge_at for _, s, h in fraud) / len(fraud), 4),
            }
        )
    return rows


def _figures(tally: Tally, history_rows: int, version: int) -> dict[str, Any]:
    legit: Counter[str] = tally.statuses.get("legit", Counter())
    legit_total = sum(legit.values()) or 1
    fraud_total, fraud_stopped, by_scenario = 0, 0, {}
    for scenario in SCENARIOS:
        counts = tally.statuses.get(scenario, Counter())
        total, stopped = sum(counts.values()), counts["C"] + counts["R"]
        fraud_total, fraud_stopped = fraud_total + total, fraud_stopped + stopped
        events = tally.fraud_events.get(scenario, {})
        by_scenario[scenario] = {
            "attempts": total,
            "stopped_rate": round(stopped / total, 4) if total else None,
            "rejected": counts["R"],
            "challenged": counts["C"],
            "events": len(events),
            "events_caught_rate": round(sum(events.values()) / len(events), 4) if events else None,
        }
    elapsed = _elapsed_ms(tally.acs_trans_ids)
    return {
        "legit_authentications": sum(legit.values()),
        "legit_frictionless_rate": round(legit["Y"] / legit_total, 4),
        "legit_challenge_rate": round(legit["C"] / legit_total, 4),
        "legit_reject_rate": round(legit["R"] / legit_total, 5),
        "fraud_attempts": fraud_total,
        "fraud_stopped_rate": round(fraud_stopped / fraud_total, 4) if fraud_total else None,
        "fraud_by_scenario": by_scenario,
        "assess_p50_ms": round(_percentile(elapsed, 0.5), 3),
        "assess_p99_ms": round(_percentile(elapsed, 0.99), 3),
        "assess_mean_ms": round(statistics.fmean(elapsed), 3) if elapsed else 0.0,
        "areq_round_trip_p50_ms": round(_percentile(tally.round_trip_ms, 0.5), 2),
        "areq_round_trip_p99_ms": round(_percentile(tally.round_trip_ms, 0.99), 2),
        "history_authentications_at_start": history_rows,
        "ruleset_version": version,
        "errors": dict(tally.errors),
        "reasons_of_stopped_legit": _reason_counts(tally.stopped_legit),
        "threshold_sweep": _sweep(tally),
        "reasons_of_passed_fraud": _reason_counts(tally.passed_fraud),
    }
