"""Time `manage.py import_cards` on a synthetic card file: first import, re-import, 10% changed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_cards_bench.py
    .venv/bin/python bench/import_cards_bench.py          # SQLite, in a temporary file

With a PostgreSQL DATABASE_URL the benchmark creates a scratch database `import_bench` on that
server (connecting through the URL's database), migrates it and drops it at the end: it never
writes to the configured database itself. Without one it uses a temporary SQLite file. The PANs
are synthetic (BINs 411111 and 356600, random digits, Luhn check digit), made at run time.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH_DB = "import_bench"
BINS = ("411111", "356600")
NAMES = ("HANAKO SATO", "TARO YAMADA", "KEN SUZUKI", "YUKI TANAKA", "AOI WATANABE", "REN ITO")


def card_rows(count: int, rng: random.Random) -> list[dict[str, str]]:
    from portal.cards import random_pan  # the project is on sys.path once main() has run

    pans: set[str] = set()
    while len(pans) < count:
        pans.add(random_pan(rng.choice(BINS), rng))
    return [
        {
            "customer_ref": f"BENCH-{index:07d}",
            "pan": pan,
            "expiry": f"{rng.randint(1, 12):02d}/{rng.randint(24, 34):02d}",
            "cardholder_name": rng.choice(NAMES),
            "date_of_birth": f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "email": f"member{index}@example.jp",
            "mobile": f"090-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}",
            "note": "ベンチマーク",
        }
        for index, pan in enumerate(sorted(pans, key=lambda _: rng.random()))
    ]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@contextlib.contextmanager
def scratch_database(configured: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of an empty scratch database, and remove it afterwards."""
    if not configured.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    import stack  # bench/ is on sys.path: this script runs from it

    with stack.scratch_database(configured, SCRATCH_DB) as url:
        try:
            yield url
        finally:
            from django.db import connections

            connections.close_all()


def timed_import(label: str, path: Path, rows: int) -> None:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command("import_cards", str(path), stdout=out, stderr=err)
    elapsed = time.perf_counter() - started
    summary = out.getvalue().strip().splitlines()[-1]
    print(f"{label:<22} {elapsed:7.2f} s {rows / elapsed:9,.0f} rows/s   {summary}")
    if err.getvalue():
        print(err.getvalue()[:2000], file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("APP_ENV", "local")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    rng = random.Random(args.seed)
    with (
        tempfile.TemporaryDirectory() as tmp,
        scratch_database(os.environ.get("DATABASE_URL", ""), Path(tmp)) as url,
    ):
        os.environ["DATABASE_URL"] = url  # read by config.settings, so set before django.setup()
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        rows = card_rows(args.rows, rng)
        first, changed = Path(tmp) / "cards.csv", Path(tmp) / "cards-changed.csv"
        write_csv(first, rows)
        for row in rng.sample(rows, len(rows) // 10):
            row["email"] = "changed-" + row["email"]
        write_csv(changed, rows)

        print(f"{connection.vendor} ({connection.settings_dict['NAME']}), {args.rows:,} rows")
        timed_import("first import", first, args.rows)
        timed_import("re-import (same file)", first, args.rows)
        timed_import("re-import, 10% changed", changed, args.rows)


if __name__ == "__main__":
    main()
