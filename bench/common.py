"""Shared by the benchmarks: the import path, a server started like production, percentiles."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "backend"))

from tests.support import LiveServer  # noqa: E402  (the same launcher the tests use)

__all__ = ["ROOT", "LiveServer", "percentile"]


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile by nearest rank (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
