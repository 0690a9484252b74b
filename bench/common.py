"""Shared by the benchmarks: a server started like production, and timing of HTTP calls."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "backend"))

from tests.support import LiveServer  # noqa: E402  (the same launcher the tests use)

__all__ = ["LiveServer", "Figures", "measure", "percentile"]


@dataclass
class Figures:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.per_second:9.1f} req/s   "
            f"p50 {percentile(self.latencies_ms, 50):7.1f} ms   "
            f"p95 {percentile(self.latencies_ms, 95):7.1f} ms   errors {self.errors}"
            + (f" {sorted(self.statuses.items())}" if self.errors else "")
        )


def percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _run(base_url: str, make_request, concurrency: int, seconds: float, name: str) -> Figures:
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await make_request(client, next(counter))
                latencies.append((time.perf_counter() - started) * 1000)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 400:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Figures(name, len(latencies), elapsed, latencies, errors, statuses)


def measure(base_url: str, make_request, *, concurrency: int, seconds: float, name: str) -> Figures:
    return asyncio.run(_run(base_url, make_request, concurrency, seconds, name))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
