"""Where the machine's CPU went during a phase: the app, its database backends, the generator, others.

On a shared two-core machine a test suite running next to the benchmark halves its figures;
this accounting shows it instead of leaving the reader to guess. Linux only (reads /proc);
elsewhere every share is reported as None.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


def _machine_busy() -> int:
    """Return the clock ticks all CPUs spent busy since boot (everything but idle and iowait)."""
    fields = [int(value) for value in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # the command name may hold spaces


def _ticks(pid: int) -> int:
    fields = _stat(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0  # utime + stime


def group_pids(pgid: int) -> list[int]:
    """Return the processes of process group `pgid` (gunicorn's master and workers)."""
    pids = []
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and int(fields[2]) == pgid:
            pids.append(int(entry.name))
    return pids


@dataclass(frozen=True)
class Sample:
    at: float
    machine: int
    parts: dict[str, int]


def sample(parts: dict[str, Iterable[int]]) -> Sample | None:
    """Read the machine's busy ticks and those of each named set of processes."""
    if not (PROC / "stat").exists():
        return None
    return Sample(
        time.monotonic(),
        _machine_busy(),
        {name: sum(_ticks(pid) for pid in pids) for name, pids in parts.items()},
    )


def shares(before: Sample | None, after: Sample | None) -> dict[str, float | None]:
    """Return each part's CPU between two samples in % of one CPU; `other` is the rest."""
    if before is None or after is None or after.at <= before.at:
        return {"other": None}
    seconds = after.at - before.at

    def pct(ticks: int) -> float:
        return round(ticks / TICKS / seconds * 100, 1)

    out: dict[str, float | None] = {name: pct(after.parts[name] - before.parts[name]) for name in after.parts}
    ours = sum(after.parts[name] - before.parts.get(name, 0) for name in after.parts)
    out["other"] = pct(after.machine - before.machine - ours)
    return out


def wait_quiet(*, threshold_pct: float, max_wait: float) -> float | None:
    """Wait until the machine is less than `threshold_pct` busy (of one CPU) over a second.

    Return the last second's busy share: the load the benchmark starts on. Give up after
    `max_wait` seconds; the figures then carry the other work, and the report says so.
    """
    if not (PROC / "stat").exists():
        return None
    deadline = time.monotonic() + max_wait
    while True:
        before, started = _machine_busy(), time.monotonic()
        time.sleep(1.0)
        busy = round((_machine_busy() - before) / TICKS / (time.monotonic() - started) * 100, 1)
        if busy < threshold_pct or time.monotonic() >= deadline:
            return busy
