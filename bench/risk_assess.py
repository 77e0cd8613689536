"""Time `riskanalysis.assess` (history look-ups included) against the database's risk history.

Run after `manage.py simulate_traffic --cards 20000 --history 1000000` on a scratch PostgreSQL
database, with the same --cards and --seed: it rebuilds the same population, draws AReq facts
from their habits, and calls the service the ACS calls, in process (no HTTP), reporting p50/p99.

    APP_ENV=local DATABASE_URL=postgres://postgres@127.0.0.1:5432/risk_sim \\
        .venv/bin/python bench/risk_assess.py --cards 20000 --count 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=5000)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from portal.crypto import pan_fingerprint
    from riskanalysis.models import Assessment
    from riskanalysis.service import assess_with_settings
    from riskanalysis.simulation import population
    from riskanalysis.simulation.backfill import facts_of
    from riskanalysis.simulation.scenarios import Traffic

    people = population.build(args.cards, seed=args.seed)
    traffic = Traffic(people, seed=args.seed + 7, fraud_per_day=0)
    now = dt.datetime.now(dt.UTC)
    sample = random.Random(args.seed).choices(people, k=args.count)
    facts = [facts_of(traffic.legit(p, now), pan_fingerprint(p.pan)) for p in sample]
    for f in facts[:200]:  # warm the connection, the rule set and the caches
        assess_with_settings(f)
    elapsed = sorted(assess_with_settings(f).elapsed_us / 1000 for f in facts)
    print(f"history: {Assessment.objects.count()} assessments; {len(elapsed)} assess calls")
    for q in (0.5, 0.9, 0.99, 0.999):
        print(f"p{q * 100:g}: {elapsed[min(len(elapsed) - 1, int(q * len(elapsed)))]:.3f} ms")


if __name__ == "__main__":
    main()
