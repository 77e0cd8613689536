"""The benchmark's arithmetic: rounds, medians, errors and targets, from made-up phase results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))  # bench/ holds scripts

import inprocess  # noqa: E402
import run  # noqa: E402

WORK = inprocess.DatabaseWork(
    queries=4, round_trips=3, statements=[], serial_ms=5.0, app_cpu_ms=4.0, db_cpu_ms=1.5
)


def phase(rps: float, *, errors: int = 0, warmup_errors: int = 0) -> dict[str, Any]:
    return {
        "rps": rps,
        "p50_ms": 1.0,
        "p95_ms": 2.0,
        "p99_ms": 3.0,
        "max_ms": 4.0,
        "errors": errors,
        "warmup_errors": warmup_errors,
        "error_samples": [f"wrong answer at {rps}"] * errors,
        "exhausted": False,
        "outcomes": {},
        "cpu_pct": {},
        "busy_before_pct": 0.0,
    }


def rounds(bares: list[dict[str, Any]], stores: list[float], areqs: list[float]) -> list[run.Round]:
    return [
        run.Round(bare=(bares[i], bares[i + 1]), store=phase(store), areq=phase(areq))
        for i, (store, areq) in enumerate(zip(stores, areqs, strict=True))
    ]


def report(measured: list[run.Round], *, fixed: dict[str, Any] | None = None) -> dict[str, Any]:
    args = argparse.Namespace(
        rate=300.0, workers=3, worker_class="sync", threads=1, concurrency=8, duration=4.0, rounds=3
    )
    return run.report(args, measured, fixed or phase(300.0), WORK, None, 150020)


def test_each_round_is_set_against_the_mean_of_the_bare_phases_around_it() -> None:
    bares = [phase(1000), phase(2000), phase(2000), phase(1000)]
    result = report(rounds(bares, [400, 300, 500], [150, 400, 450]))

    assert [one["bare_rps"] for one in result["rounds"]] == [1500, 2000, 1500]
    assert [one["ratio"] for one in result["rounds"]] == [0.1, 0.2, 0.3]
    assert (result["ratio"], result["areq_rps"], result["bare_rps"]) == (0.2, 400, 2000)
    assert result["ratio_range"] == [0.1, 0.3]
    # The store floor's own median round (400 of 1500), not the AReq's (300 of 2000).
    assert (result["store_ratio"], result["store_rps"]) == (0.267, 400)
    assert result["phases"]["bare_before"] is bares[1] and result["phases"]["bare_after"] is bares[2]
    assert result["ok"] and result["targets"]["ratio_met"] is False


def test_a_wrong_answer_anywhere_fails_the_run_and_its_targets() -> None:
    shared = phase(1000, errors=1)  # closes round 1 and opens round 2: one error, counted once
    bares = [phase(1000), shared, phase(1000), phase(1000)]
    measured = rounds(bares, [900, 900, 900], [300, 900, 900])
    result = report(measured, fixed=phase(300, warmup_errors=2))

    assert result["errors"] == 3
    assert not result["ok"]
    assert result["ratio"] == 0.9  # would meet the ratio target, and the p99 one, but for the errors
    assert (result["targets"]["ratio_met"], result["targets"]["p99_met"]) == (False, False)
    table = run.table({**result, "profile": None})
    assert "FAILED: 3 wrong answers" in table
    assert "wrong answer at 1000" in table  # from a bare phase outside the median round's


@pytest.mark.parametrize("count", ["0", "2", "-1"])
def test_it_asks_for_an_odd_number_of_rounds(count: str) -> None:
    with pytest.raises(SystemExit):
        run.parse_args(["--rounds", count])
    assert run.parse_args(["--rounds", "5"]).rounds == 5
