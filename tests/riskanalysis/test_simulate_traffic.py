"""simulate_traffic on a tiny population: the figures, and a backfill the endpoint agrees with."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings

from acs import directory
from riskanalysis.models import Assessment
from riskanalysis.simulation import population
from riskanalysis.simulation.backfill import backfill
from riskanalysis.simulation.runner import InProcess, Runner
from riskanalysis.simulation.scenarios import Traffic


@pytest.fixture
def fresh_ranges(db: None) -> Iterator[None]:
    directory.forget()
    yield
    directory.forget()


def test_it_prints_the_figures_as_one_json_object(fresh_ranges: None) -> None:
    out = io.StringIO()
    call_command(
        "simulate_traffic",
        "--cards",
        "12",
        "--days",
        "1",
        "--warmup-days",
        "1",
        "--history",
        "120",
        "--fraud-per-day",
        "3",
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    for name in ("legit_frictionless_rate", "legit_reject_rate", "fraud_stopped_rate", "assess_p99_ms"):
        assert name in figures
    assert figures["errors"] == {}
    assert figures["legit_authentications"] + figures["fraud_attempts"] > 0
    assert figures["history_authentications_at_start"] >= 120
    assert 0 < figures["assess_p50_ms"] <= figures["assess_p99_ms"]


def test_a_backfilled_device_is_the_one_the_3ds_method_recognises(fresh_ranges: None) -> None:
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    people = population.build(3, seed=5)
    population.cards_ensure(people)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    backfill(people, total=30, start=start, days=30, seed=5)
    person = people[0]
    traffic = Traffic(people, seed=9, fraud_per_day=0)
    attempt = traffic.legit(person, start)
    attempt.method, attempt.device, attempt.ip = (
        True,
        person.devices[0],
        population.random_ip(traffic.rng, person.home_prefix),
    )
    with override_settings(RISK_CLOCK="purchase_date"):
        runner = Runner(InProcess(), seed=1)
        runner.play(attempt)
    assessment = Assessment.objects.get(acs_trans_id=runner.tally.acs_trans_ids[0])
    codes = {r["code"] for r in assessment.reasons}
    assert not codes & {"new_device", "new_browser", "new_ip_prefix"}, codes
