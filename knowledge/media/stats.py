"""Timings of voice transcription and OCR for /metrics, kept in this process.

Counters and a histogram of the seconds each job took (queue wait included: that is what the
official waits for), by engine and outcome. They are per process, since its start: with several
`troly serve` processes, scrape each on its own port (troly@8001, troly@8002…) rather than
through the proxy, and sum them.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field

BUCKETS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0)


@dataclass
class _Series:
    count: int = 0
    seconds: float = 0.0
    media_seconds: float = 0.0  # audio seconds or pages read
    buckets: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))


@dataclass(frozen=True)
class Sample:
    engine: str  # "speech" | "ocr"
    status: str
    count: int
    seconds_sum: float
    media_sum: float
    buckets: tuple[tuple[float, int], ...]  # cumulative (le, count), +Inf is `count`


_lock = threading.Lock()
_series: dict[tuple[str, str], _Series] = {}


def record(engine: str, status: str, *, seconds: float, media: float = 0.0) -> None:
    with _lock:
        series = _series.setdefault((engine, status), _Series())
        series.count += 1
        series.media_seconds += media
        series.seconds += seconds
        index = bisect.bisect_left(BUCKETS, seconds)
        if index < len(BUCKETS):
            series.buckets[index] += 1


def snapshot() -> list[Sample]:
    """Every series so far, in a fixed order."""
    with _lock:
        items = sorted(_series.items())
        samples = []
        for (engine, status), series in items:
            running, cumulative = 0, []
            for bound, hits in zip(BUCKETS, series.buckets, strict=True):
                running += hits
                cumulative.append((bound, running))
            samples.append(
                Sample(
                    engine=engine,
                    status=status,
                    count=series.count,
                    seconds_sum=series.seconds,
                    media_sum=series.media_seconds,
                    buckets=tuple(cumulative),
                )
            )
        return samples


def reset() -> None:
    """Tests start from zero."""
    with _lock:
        _series.clear()
